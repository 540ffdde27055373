//! Running the built-in plugins' machine code where it lies in the binary.
//!
//! The build script embeds each built-in plugin's compiled code in the binary's read-only
//! data, aligned to a page. `Component::deserialize` would copy all of it (about 12 MB)
//! into fresh memory on every start, and faulting in that many new pages is most of a small
//! render (about 10 ms). Instead the code is used in place: wasmtime is given the embedded
//! bytes as they are (`Component::deserialize_raw`) and this module's [`CodeMemory`] makes
//! their text pages executable with `mprotect`. The pages stay backed by the binary file,
//! which the kernel already holds in its page cache, and only those a render runs are ever
//! read: a first run in a fresh container costs what a later one does, with nothing to
//! write to disk.
//!
//! For code wasmtime loads itself (the compiled-code cache, `--plugin` components) the same
//! hooks do what wasmtime's defaults do: read-execute on publish, read-write on unpublish.

/// The page size every embedded code blob is aligned to by the build script.
pub(crate) const EMBED_ALIGN: usize = 4096;

/// wasmtime's code-memory hooks, knowing which addresses are embedded in the binary.
#[cfg(unix)]
pub(crate) struct CodeMemory {
    page: usize,
    /// Address ranges of the embedded blobs: unpublishing leaves them read-only (they are
    /// the binary's own read-only data), not writable.
    embedded: Vec<std::ops::Range<usize>>,
}

#[cfg(unix)]
impl CodeMemory {
    /// Hooks for an engine that will run `embedded` in place; `None` where the page size is
    /// not one the blobs are aligned to (the caller then keeps wasmtime's defaults).
    pub(crate) fn new(embedded: &[&'static [u8]]) -> Option<CodeMemory> {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        let page = usize::try_from(page).ok().filter(|p| p.is_power_of_two())?;
        if page > EMBED_ALIGN {
            return None;
        }
        Some(CodeMemory {
            page,
            embedded: embedded
                .iter()
                .map(|b| b.as_ptr() as usize..b.as_ptr() as usize + b.len())
                .collect(),
        })
    }

    fn protect(&self, ptr: *const u8, len: usize, prot: libc::c_int) -> wasmtime::Result<()> {
        let len = len.div_ceil(self.page) * self.page;
        // SAFETY: wasmtime passes a page-aligned range of code memory it owns or that
        // `deserialize_raw` was given (an embedded blob, which lives for the whole process);
        // changing its protection touches nothing else.
        let rc = unsafe { libc::mprotect(ptr.cast_mut().cast(), len, prot) };
        if rc == 0 {
            Ok(())
        } else {
            Err(wasmtime::Error::msg(format!(
                "mprotect failed: {}",
                std::io::Error::last_os_error()
            )))
        }
    }

    fn is_embedded(&self, ptr: *const u8) -> bool {
        let addr = ptr as usize;
        self.embedded.iter().any(|r| r.contains(&addr))
    }
}

#[cfg(unix)]
impl wasmtime::CustomCodeMemory for CodeMemory {
    fn required_alignment(&self) -> usize {
        self.page
    }

    fn publish_executable(&self, ptr: *const u8, len: usize) -> wasmtime::Result<()> {
        self.protect(ptr, len, libc::PROT_READ | libc::PROT_EXEC)
    }

    fn unpublish_executable(&self, ptr: *const u8, len: usize) -> wasmtime::Result<()> {
        let prot = if self.is_embedded(ptr) {
            libc::PROT_READ
        } else {
            libc::PROT_READ | libc::PROT_WRITE
        };
        self.protect(ptr, len, prot)
    }
}

/// Whether `code` may be used in place, which it may be once per process: it starts on an
/// [`EMBED_ALIGN`] boundary, and no component has been made from it in place before.
/// wasmtime registers the address range of all loaded code in one process-wide table (to
/// tell its traps apart), and a range may be there once; so a second engine (the tests make
/// many) or a second load gets a copy instead.
pub(crate) fn claim(code: &'static [u8]) -> bool {
    static CLAIMED: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
    let addr = code.as_ptr() as usize;
    if !addr.is_multiple_of(EMBED_ALIGN) {
        return false;
    }
    match CLAIMED.lock() {
        Ok(mut claimed) if !claimed.contains(&addr) => {
            claimed.push(addr);
            true
        }
        _ => false,
    }
}
