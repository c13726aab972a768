//! The search index of the preview, built off the rebuild path.
//!
//! The index is built whole every time, which at ten thousand notes takes a second and a
//! half of CPU; a reload must not wait for it. So the rebuild thread
//! publishes the pages and signals the reload at once, and hands the pages to this
//! thread, which builds the bundle and puts it in place if no newer rebuild has been
//! published meanwhile. Until then the previous bundle keeps being served. Only the
//! newest job is kept: a burst of saves is indexed once, after the last.
//!
//! The thread runs at the lowest scheduling priority, and so does its own pool of workers
//! (started from it, they inherit its priority). Indexing at normal priority took a core
//! from the next rebuild, doubling the edit-to-reload time on a two-core machine, and on
//! the shared global pool a rebuild's parallel work would queue behind the indexer's; the
//! reload matters more than how soon search sees the edit.

use std::sync::{Arc, Condvar, Mutex};

use crate::render::OutputFile;
use crate::render::search;

use super::{Rebuilt, Shared};

/// The pages of one rebuild, waiting to be indexed.
struct Job {
    generation: u64,
    language: String,
    files: Vec<OutputFile>,
}

/// The newest job and whether the server is stopping.
#[derive(Default)]
struct Queue {
    job: Option<Job>,
    stopped: bool,
}

/// Hands rebuilt sites to the indexing thread; dropping it stops the thread.
pub(crate) struct Indexer {
    queue: Arc<(Mutex<Queue>, Condvar)>,
}

impl Indexer {
    /// Starts the indexing thread.
    pub(crate) fn start(shared: Arc<Shared>) -> std::io::Result<Indexer> {
        let queue: Arc<(Mutex<Queue>, Condvar)> = Arc::default();
        let worker = queue.clone();
        std::thread::Builder::new().name("docket-search-index".into()).spawn(move || {
            lower_priority();
            let pool = rayon::ThreadPoolBuilder::new().thread_name(|n| format!("docket-search-{n}")).build();
            while let Some(job) = next_job(&worker) {
                let index = || search::bundle(&job.files, &job.language);
                let bundle = match &pool {
                    Ok(pool) => pool.install(index),
                    Err(_) => index(),
                };
                shared.publish_search(job.generation, &bundle);
            }
        })?;
        Ok(Indexer { queue })
    }

    /// Queues the pages of a rebuild without errors, replacing any job not yet started.
    pub(crate) fn index(&self, generation: u64, rebuilt: &Rebuilt) {
        let Some(language) = &rebuilt.search_language else { return };
        if rebuilt.diagnostics.has_errors() {
            return;
        }
        let job = Job { generation, language: language.clone(), files: rebuilt.files.clone() };
        let (lock, wake) = &*self.queue;
        lock.lock().unwrap_or_else(|e| e.into_inner()).job = Some(job);
        wake.notify_one();
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        let (lock, wake) = &*self.queue;
        lock.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
        wake.notify_one();
    }
}

/// Gives the calling thread the lowest priority, so it gets only the CPU the rebuilds
/// leave idle. Linux keeps a nice value per thread, and threads started from this one
/// (the indexer's pool) inherit it. Elsewhere the thread keeps normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: `setpriority` only changes the scheduling of the thread `0` names on Linux,
    // the calling one; it reads and writes no memory of ours. A failure leaves the
    // priority as it was, which is harmless.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

/// Waits for the next job; `None` once the server stops.
fn next_job(queue: &(Mutex<Queue>, Condvar)) -> Option<Job> {
    let (lock, wake) = queue;
    let mut state = lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if state.stopped {
            return None;
        }
        if let Some(job) = state.job.take() {
            return Some(job);
        }
        state = wake.wait(state).unwrap_or_else(|e| e.into_inner());
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn own_priority() -> i32 {
        // SAFETY: reads the calling thread's nice value; no memory is touched.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[test]
    fn only_the_indexing_thread_is_lowered() {
        let before = own_priority();
        let (lowered, inherited) = std::thread::spawn(|| {
            lower_priority();
            let inherited = std::thread::spawn(own_priority).join().expect("thread");
            (own_priority(), inherited)
        })
        .join()
        .expect("thread");
        assert_eq!(lowered, 19, "the indexing thread runs at the lowest priority");
        assert_eq!(inherited, 19, "threads it starts (its pool's) inherit it");
        assert_eq!(own_priority(), before, "the rest of the server keeps its priority");
    }
}
