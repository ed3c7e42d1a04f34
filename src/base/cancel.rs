//! Stopping work nobody waits for any more. A server's check runs on a thread of its own; when
//! its request is gone (timed out, the client went away) or its own time limit has passed, the
//! work should stop at the next place it can, not run on for minutes holding a check slot.
//!
//! The stop is set for the current thread ([`Stop::run`]) rather than passed down every call:
//! the steps that look at it (between files, between rules, in a report's writer) are far apart
//! in the layers, and a check runs on one thread from start to end. Work run without a stop
//! (the command line) never stops early.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Why work stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// Whoever asked for it is gone: nobody will read the result.
    Gone,
    /// Its time limit passed.
    TimeUp,
}

/// When to stop: a flag another thread may set, and a time limit.
#[derive(Clone, Debug)]
pub struct Stop {
    gone: Arc<AtomicBool>,
    deadline: Option<Instant>,
}

impl Stop {
    /// A stop set by [`Stop::cancel`] (or a clone's), or by `deadline` passing.
    pub fn new(deadline: Option<Instant>) -> Stop {
        Stop {
            gone: Arc::new(AtomicBool::new(false)),
            deadline,
        }
    }

    /// This stop with a time limit: set by the same [`Stop::cancel`], or by `deadline`.
    pub fn with_deadline(&self, deadline: Instant) -> Stop {
        Stop {
            gone: self.gone.clone(),
            deadline: Some(deadline),
        }
    }

    /// Stops the work: its result will not be read.
    pub fn cancel(&self) {
        self.gone.store(true, Ordering::Relaxed);
    }

    /// Whether the work should stop now, and why.
    pub fn stopped(&self) -> Option<Why> {
        if self.gone.load(Ordering::Relaxed) {
            Some(Why::Gone)
        } else if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            Some(Why::TimeUp)
        } else {
            None
        }
    }

    /// Runs `work` with this stop set for the current thread, so that [`stopped`] sees it.
    pub fn run<T>(&self, work: impl FnOnce() -> T) -> T {
        /// Puts back the stop that was set before, even if `work` panics.
        struct Restore(Option<Stop>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|current| *current.borrow_mut() = previous);
            }
        }
        let previous = CURRENT.with(|current| current.borrow_mut().replace(self.clone()));
        let _restore = Restore(previous);
        work()
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Stop>> = const { RefCell::new(None) };
}

/// Whether the work on this thread should stop, and why; `None` when it runs without a stop.
pub fn stopped() -> Option<Why> {
    CURRENT.with(|current| current.borrow().as_ref().and_then(Stop::stopped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_is_seen_only_on_the_thread_that_runs_with_it() {
        let stop = Stop::new(None);
        assert_eq!(stopped(), None);
        stop.run(|| {
            assert_eq!(stopped(), None);
            let other = stop.clone();
            // Cancelled from elsewhere (the request's side), seen here.
            std::thread::spawn(move || other.cancel()).join().unwrap();
            assert_eq!(stopped(), Some(Why::Gone));
            // Another thread runs without it.
            std::thread::spawn(|| assert_eq!(stopped(), None))
                .join()
                .unwrap();
        });
        assert_eq!(stopped(), None);
    }

    #[test]
    fn a_stop_whose_deadline_has_passed_is_time_up() {
        let stop = Stop::new(Some(Instant::now()));
        assert_eq!(stop.stopped(), Some(Why::TimeUp));
        assert_eq!(Stop::new(None).stopped(), None);
    }
}
