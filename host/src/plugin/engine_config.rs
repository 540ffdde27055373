//! The wasmtime settings that shape compiled code, in one place for the two users that must
//! agree on them: the runtime (`plugin::runtime`) and the build script, which compiles the
//! built-in plugins ahead of time and embeds the result. Code compiled under other settings
//! is refused by wasmtime's compatibility check, and the runtime then compiles it again.
//!
//! This file is included by `host/build.rs` with `#[path]`: it may use only `wasmtime`.

/// The deepest wasm call stack a plugin may use. Helm allows 1000 nested `include`s and the
/// engine recurses for each; calls run on threads with a larger native stack.
pub const MAX_WASM_STACK: usize = 32 << 20;

/// Address space reserved up front for one linear memory. None: a memory is mapped at its
/// initial size plus a growth reserve (set at run time from the memory limit, see
/// [`growth_reservation`]), so a call never reserves more than its limit allows. Wasmtime's
/// default (4 GiB plus guards, which lets it drop bounds checks) fails under an
/// address-space limit (`ulimit -v`, `prlimit --as`) and multiplies with every instance.
pub const MEMORY_RESERVATION: u64 = 0;

/// Inaccessible pages after (and before) a linear memory, which let compiled code skip the
/// bounds check of an access at a small constant offset.
pub const MEMORY_GUARD: u64 = 2 << 20;

/// The growth reserve the build script compiles with. It does not shape compiled code
/// (wasmtime's compatibility check ignores it); the runtime sets its own, see
/// [`growth_reservation`].
pub const MAX_GROWTH_RESERVATION: u64 = 256 << 20;

/// The smallest growth reserve under an address-space limit.
const MIN_GROWTH_RESERVATION: u64 = 32 << 20;

/// The engine settings that affect compiled code, and the ones every caller needs.
pub fn engine_config() -> wasmtime::Config {
    let mut config = wasmtime::Config::new();
    config
        .wasm_component_model(true)
        .epoch_interruption(true)
        .parallel_compilation(true)
        .max_wasm_stack(MAX_WASM_STACK)
        .async_stack_size(MAX_WASM_STACK + (1 << 20))
        .memory_reservation(MEMORY_RESERVATION)
        .memory_guard_size(MEMORY_GUARD)
        .memory_may_move(true)
        .memory_reservation_for_growth(MAX_GROWTH_RESERVATION);
    config
}

/// The growth reserve of a linear memory for calls limited to `memory_limit` bytes, at most
/// `instances` at once, in a process whose address space is limited to `address_space`
/// bytes (`None`: unlimited). A memory that outgrows its reserve is moved: copied to a new
/// mapping whose pages are all touched afresh, so a reserve much smaller than what a call
/// uses makes a big call quadratic (a 50 MB values file grows the engine's memory past a
/// gigabyte). Without a limit the reserve is the whole memory limit: address space is cheap
/// and a memory never moves. Under a limit (`ulimit -v`, `prlimit --as`) the instances share
/// half of it, each reserve at least 32 MiB.
pub fn growth_reservation(
    memory_limit: usize,
    instances: usize,
    address_space: Option<u64>,
) -> u64 {
    let limit = u64::try_from(memory_limit).unwrap_or(u64::MAX);
    match address_space {
        None => limit,
        Some(total) => {
            let share = total / 2 / u64::try_from(instances.max(1)).unwrap_or(u64::MAX);
            limit.min(share.max(MIN_GROWTH_RESERVATION))
        }
    }
}
