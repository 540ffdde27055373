//! The one place that configures wasmtime: the engine, the epoch ticker, the linker with the
//! host imports and a deny-by-default WASI, and the per-call store with its limits.

use super::PluginError;
use super::bindings::renderer::Renderer as RendererWorld;
use super::bindings::renderer::rudder::plugin::{host, types};
use super::bindings::v0_1::{self as old, host as old_host, types as old_types};
use super::cache::{Cache, CacheOutcome};
use std::sync::Arc;
use std::time::Duration;
use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{Engine, Store, Trap};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{HostMonotonicClock, HostWallClock, WasiCtx, WasiCtxView, WasiView};

/// Default memory a plugin call may use.
pub const DEFAULT_MEMORY_LIMIT: usize = 512 << 20;
/// Default time a plugin call may run.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
pub(crate) use super::engine_config::MAX_WASM_STACK;
/// The native stack of a thread that runs a plugin call: the wasm stack plus room for the
/// host functions it calls.
pub(crate) const CALL_STACK_SIZE: usize = MAX_WASM_STACK + (16 << 20);
/// Largest table a plugin may grow (function references; a Rust guest uses a few thousand).
const TABLE_ELEMENTS_LIMIT: usize = 100_000;
/// How much of a plugin's stderr (panic messages) is kept for error messages.
const STDERR_CAPACITY: usize = 16 << 10;

/// How plugins are run.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Bytes of linear memory one call may use (all its memories together).
    pub memory_limit: usize,
    /// Wall-clock time one call may run before it is interrupted.
    pub timeout: Duration,
    /// Folder of the compiled-code cache; none to compile in memory every time.
    pub cache_dir: Option<std::path::PathBuf>,
    /// Plugin instances that may be alive at once: further calls wait for one to end, so
    /// memory stays within `max_instances × memory_limit`. Default: twice the number of
    /// cores.
    pub max_instances: u32,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        RuntimeConfig {
            memory_limit: DEFAULT_MEMORY_LIMIT,
            timeout: DEFAULT_TIMEOUT,
            cache_dir: super::cache::default_cache_dir(),
            max_instances: u32::try_from(cores.saturating_mul(2))
                .unwrap_or(u32::MAX)
                .max(4),
        }
    }
}

/// What the host offers plugins through the `host` interface, chosen per call: a CI
/// `template` answers `lookup` offline, an `install` can bind it to one release's cluster and
/// namespace. The runtime's own services (see [`Runtime::with_services`]) serve calls made
/// without any.
pub trait HostServices: Send + Sync {
    /// One line from plugin `plugin`.
    fn log(&self, plugin: &str, level: host::Level, message: &str);
    /// Helm's `lookup`: the object or list as JSON, `{}` when none or offline.
    fn lookup(&self, query: &Lookup<'_>) -> Result<String, String> {
        let _ = query;
        Ok("{}".to_string())
    }
}

/// What a template's `lookup apiVersion kind namespace name` asks for: the engine's own record
/// of it.
pub use rudder_gotmpl::func::Lookup;

/// Offline services that keep nothing: `lookup` finds nothing (as in `helm template`) and
/// log lines are dropped. Use a [`Recorder`] per call to keep them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Offline;

impl HostServices for Offline {
    fn log(&self, _: &str, _: host::Level, _: &str) {}
}

/// Offline services that keep a call's log lines, for the caller to show with what they
/// belong to (a release, a chart): warnings as `warning: MESSAGE`, and with `debug` also
/// info and debug lines as `debug: [PLUGIN] MESSAGE`.
#[derive(Debug, Default)]
pub struct Recorder {
    debug: bool,
    lines: std::sync::Mutex<Vec<String>>,
}

impl Recorder {
    pub fn new(debug: bool) -> Recorder {
        Recorder {
            debug,
            lines: std::sync::Mutex::default(),
        }
    }

    /// The lines recorded so far, in the order they came; the recorder is left empty.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.lines.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl HostServices for Recorder {
    fn log(&self, plugin: &str, level: host::Level, message: &str) {
        let line = match level {
            host::Level::Warn => format!("warning: {message}"),
            host::Level::Info | host::Level::Debug if self.debug => {
                format!("debug: [{plugin}] {message}")
            }
            _ => return,
        };
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(line);
    }
}

/// The plugin runtime: one engine, its ticker, the linker and the code cache. Cheap to clone
/// and safe to share between threads.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) inner: Arc<RuntimeInner>,
}

pub(crate) struct RuntimeInner {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<StoreState>,
    pub(crate) config: RuntimeConfig,
    pub(crate) services: Arc<dyn HostServices>,
    cache: Cache,
    /// Whether the engine has the code-memory hooks that run embedded code in place.
    in_place: bool,
    /// Epoch ticks a call may run.
    deadline_ticks: u64,
    /// Admits at most `max_instances` calls at once.
    pub(crate) gate: Gate,
}

/// A counting semaphore: at most `limit` holders of a [`Permit`] at once.
#[derive(Debug)]
pub(crate) struct Gate {
    limit: usize,
    held: std::sync::Mutex<usize>,
    freed: std::sync::Condvar,
}

/// One admission through a [`Gate`], given back when dropped.
pub(crate) struct Permit<'a>(&'a Gate);

impl Gate {
    fn new(limit: usize) -> Gate {
        Gate {
            limit: limit.max(1),
            held: std::sync::Mutex::new(0),
            freed: std::sync::Condvar::new(),
        }
    }

    /// Waits until fewer than `limit` permits are out, then takes one.
    pub(crate) fn enter(&self) -> Permit<'_> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        while *held >= self.limit {
            held = self.freed.wait(held).unwrap_or_else(|p| p.into_inner());
        }
        *held += 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut held = self.0.held.lock().unwrap_or_else(|p| p.into_inner());
        *held = held.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// A runtime whose calls without services of their own get [`Offline`] ones.
    pub fn new(config: RuntimeConfig) -> Result<Self, PluginError> {
        Self::with_services(config, Arc::new(Offline))
    }

    /// A runtime whose calls without services of their own log and look up through
    /// `services`.
    pub fn with_services(
        config: RuntimeConfig,
        services: Arc<dyn HostServices>,
    ) -> Result<Self, PluginError> {
        let engine_err = |e: wasmtime::Error| PluginError::Engine(format!("{e:#}"));
        if config.timeout.is_zero() {
            return Err(PluginError::Engine(
                "the plugin timeout must be above zero".into(),
            ));
        }
        // Ticks of about a twentieth of the deadline (5 ms to 100 ms): a call overruns its
        // deadline by at most one tick.
        let tick =
            (config.timeout / 20).clamp(Duration::from_millis(5), Duration::from_millis(100));
        let deadline_ticks = config.timeout.as_nanos().div_ceil(tick.as_nanos()).max(1);
        let deadline_ticks = u64::try_from(deadline_ticks).unwrap_or(u64::MAX);

        // Everything that shapes compiled code comes from `engine_config`, which the build
        // script also uses to precompile the built-in plugins. The growth reserve of a
        // linear memory follows the memory limit; it does not change compiled code.
        let mut wasm = super::engine_config::engine_config();
        let instances = usize::try_from(config.max_instances.max(1)).unwrap_or(usize::MAX);
        wasm.memory_reservation_for_growth(super::engine_config::growth_reservation(
            config.memory_limit,
            instances,
            address_space_limit(),
        ));
        // Instances are allocated on demand rather than from wasmtime's pooling allocator:
        // a CLI run instantiates a handful of times, and reserving and tearing down the
        // pool's address space cost more than those instantiations (about a third of a
        // small chart's render). The number alive at once is bounded by `gate` instead.
        // Embedded code runs where it lies in the binary (see `in_place`); the hooks do not
        // change compiled code, only how it is made executable.
        #[cfg(unix)]
        let in_place = match super::in_place::CodeMemory::new(&super::registry::builtin_code()) {
            Some(hooks) => {
                wasm.with_custom_code_memory(Some(Arc::new(hooks)));
                true
            }
            None => false,
        };
        #[cfg(not(unix))]
        let in_place = false;
        let engine = Engine::new(&wasm).map_err(engine_err)?;

        let mut linker = Linker::<StoreState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(engine_err)?;
        RendererWorld::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s).map_err(engine_err)?;
        old::Renderer::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s).map_err(engine_err)?;

        spawn_ticker(&engine, tick);
        let cache = Cache::new(config.cache_dir.clone());
        let config_instances = usize::try_from(config.max_instances.max(1)).unwrap_or(usize::MAX);
        Ok(Runtime {
            inner: Arc::new(RuntimeInner {
                engine,
                linker,
                config,
                services,
                cache,
                in_place,
                deadline_ticks,
                gate: Gate::new(config_instances),
            }),
        })
    }

    /// How many plugin calls to run at once: `requested`, else one per core; never more
    /// than `max_instances`.
    pub fn parallelism(&self, requested: Option<std::num::NonZeroUsize>) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let limit = usize::try_from(self.inner.config.max_instances).unwrap_or(usize::MAX);
        requested.map_or(cores, |n| n.get()).min(limit).max(1)
    }

    /// The configuration this runtime was made with.
    pub fn config(&self) -> &RuntimeConfig {
        &self.inner.config
    }

    /// Loads the code compiled at build time, when there is some and wasmtime finds it
    /// compatible with this engine and CPU (run where it lies in the binary, see
    /// `in_place`); else compiles `wasm` (or maps it in from the cache).
    pub(crate) fn compile(
        &self,
        wasm: &[u8],
        sha: &[u8; 32],
        precompiled: Option<&'static [u8]>,
    ) -> Result<(Component, CacheOutcome), String> {
        if let Some(code) = precompiled {
            if self.inner.in_place && super::in_place::claim(code) {
                // SAFETY: `code` is embedded in this binary by its build script, which
                // produced it with `Engine::precompile_component` from the same component;
                // wasmtime checks its version, settings and CPU features and refuses code
                // made for others. It is a static, so it outlives the component, nothing
                // writes to it (it is the binary's read-only data), and `claim` lets it be
                // loaded in place only once.
                let raw = std::ptr::NonNull::from(code);
                if let Ok(component) =
                    unsafe { Component::deserialize_raw(&self.inner.engine, raw) }
                {
                    return Ok((component, CacheOutcome::Embedded));
                }
            }
            // SAFETY: as above; this copies the code into memory of wasmtime's own.
            if let Ok(component) = unsafe { Component::deserialize(&self.inner.engine, code) } {
                return Ok((component, CacheOutcome::Embedded));
            }
        }
        self.inner
            .cache
            .load(&self.inner.engine, wasm, sha)
            .map_err(|e| format!("{e:#}"))
    }
}

/// Advances the engine's epoch every `tick` until the engine is dropped. Sleeping (rather
/// than catching up on missed ticks) means a stalled ticker can only give calls more time.
/// The process's address-space limit (`RLIMIT_AS`), if it has one.
#[cfg(unix)]
fn address_space_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given, which lives on this stack.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) };
    (rc == 0 && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

#[cfg(not(unix))]
fn address_space_limit() -> Option<u64> {
    None
}

fn spawn_ticker(engine: &Engine, tick: Duration) {
    let weak = engine.weak();
    let spawned = std::thread::Builder::new()
        .name("rudder-epoch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(tick);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        });
    // Without a ticker no call can time out; that is worse than failing, but a runtime
    // that cannot spawn a thread will fail elsewhere anyway.
    drop(spawned);
}

/// A fixed wall clock (the Unix epoch): plugins get time only as the contract passes it.
struct FixedWallClock;

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_secs(1)
    }
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

/// A monotonic clock that never moves.
struct FixedMonotonicClock;

impl HostMonotonicClock for FixedMonotonicClock {
    fn resolution(&self) -> u64 {
        1_000_000_000
    }
    fn now(&self) -> u64 {
        0
    }
}

/// Memory and table limits of one store.
pub(crate) struct Limits {
    memory_limit: usize,
    memory_used: usize,
    /// Set when a growth was refused for the memory limit.
    pub(crate) memory_exhausted: bool,
}

impl wasmtime::ResourceLimiter for Limits {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let extra = desired.saturating_sub(current);
        match self.memory_used.checked_add(extra) {
            Some(total) if total <= self.memory_limit => {
                self.memory_used = total;
                Ok(true)
            }
            _ => {
                self.memory_exhausted = true;
                Ok(false)
            }
        }
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= TABLE_ELEMENTS_LIMIT)
    }
}

/// Everything one call's store holds. A store lives for one call and is then dropped.
pub(crate) struct StoreState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limits: Limits,
    plugin: Arc<str>,
    services: Arc<dyn HostServices>,
    stderr: MemoryOutputPipe,
}

impl WasiView for StoreState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// The `host` interface of a contract version (its `host` and `types` modules), served by
/// the call's services: one body for 0.2.0 and the frozen 0.1.0.
macro_rules! serve_host {
    ($host:ident, $types:ident) => {
        impl $host::Host for StoreState {
            fn log(&mut self, level: $host::Level, message: String) {
                let level = match level {
                    $host::Level::Debug => host::Level::Debug,
                    $host::Level::Info => host::Level::Info,
                    $host::Level::Warn => host::Level::Warn,
                };
                self.services.log(&self.plugin, level, &message);
            }

            fn lookup(
                &mut self,
                api_version: String,
                kind: String,
                namespace: String,
                name: String,
            ) -> Result<String, String> {
                self.services.lookup(&Lookup {
                    api_version: &api_version,
                    kind: &kind,
                    namespace: &namespace,
                    name: &name,
                })
            }

            fn generate_rsa_key(&mut self, bits: u32, seed: u64) -> Result<Vec<u8>, String> {
                super::keygen::generate_rsa_key(bits, seed)
            }

            fn rsa_sign_sha256(
                &mut self,
                private_key: Vec<u8>,
                digest: Vec<u8>,
            ) -> Result<Vec<u8>, String> {
                rudder_gotmpl::keygen::rsa_sign_sha256(&private_key, &digest)
                    .map_err(|e| e.to_string())
            }
        }

        impl $types::Host for StoreState {}
    };
}

serve_host!(host, types);
serve_host!(old_host, old_types);

impl RuntimeInner {
    /// A fresh store for one call of plugin `plugin`: deny-by-default WASI (no files, no
    /// environment, no arguments, no network, stdin closed, stdout dropped, stderr kept for
    /// error messages), fixed clocks, fixed randomness, the memory limit and the deadline.
    pub(crate) fn store(
        &self,
        plugin: &Arc<str>,
        services: Arc<dyn HostServices>,
    ) -> Store<StoreState> {
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let wasi = WasiCtx::builder()
            .stderr(stderr.clone())
            .wall_clock(FixedWallClock)
            .monotonic_clock(FixedMonotonicClock)
            .secure_random(wasmtime_wasi::Deterministic::new(vec![
                0x5a, 0x17, 0xc3, 0x88,
            ]))
            .insecure_random(wasmtime_wasi::Deterministic::new(vec![
                0x3c, 0x96, 0x01, 0xe7,
            ]))
            .insecure_random_seed(0x7275_6464_6572)
            .allow_ip_name_lookup(false)
            .allow_tcp(false)
            .allow_udp(false)
            .build();
        let state = StoreState {
            wasi,
            table: ResourceTable::new(),
            limits: Limits {
                memory_limit: self.config.memory_limit,
                memory_used: 0,
                memory_exhausted: false,
            },
            plugin: plugin.clone(),
            services,
            stderr,
        };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limits);
        store.set_epoch_deadline(self.deadline_ticks);
        store.epoch_deadline_trap();
        store
    }

    /// Turns a failed call into an error naming the plugin and the call.
    pub(crate) fn classify(
        &self,
        store: &Store<StoreState>,
        plugin: &str,
        call: &'static str,
        err: wasmtime::Error,
    ) -> PluginError {
        let plugin = plugin.to_string();
        if matches!(err.downcast_ref::<Trap>(), Some(Trap::Interrupt)) {
            return PluginError::Timeout {
                plugin,
                call,
                timeout: self.config.timeout,
            };
        }
        if store.data().limits.memory_exhausted {
            return PluginError::OutOfMemory {
                plugin,
                call,
                limit: self.config.memory_limit,
            };
        }
        let mut message = format!("{err:#}");
        let stderr = store.data().stderr.contents();
        let stderr = String::from_utf8_lossy(&stderr);
        let stderr = stderr.trim();
        if !stderr.is_empty() {
            message.push_str("\nplugin stderr:\n");
            message.push_str(stderr);
        }
        PluginError::Trap {
            plugin,
            call,
            message,
        }
    }
}

#[cfg(test)]
mod gate_tests {
    use super::Gate;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_gate_admits_at_most_its_limit() {
        let gate = Gate::new(2);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    for _ in 0..5 {
                        let _permit = gate.enter();
                        let n = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(*gate.held.lock().expect("lock"), 0);
    }
}
