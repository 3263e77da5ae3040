//! Work that may block on someone else (a FIFO's writer or reader, a
//! terminal), with a word on stderr about what it waits for.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long blocking goes unremarked.
const NOTICE_AFTER: Duration = Duration::from_secs(1);

/// Runs `work`; if it has not finished after a second, calls `notice`
/// once, then waits for it to finish.
pub(crate) fn with_notice<T: Send>(notice: impl FnOnce(), work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        s.spawn(move || {
            let _ = tx.send(work());
        });
        match rx.recv_timeout(NOTICE_AFTER) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => {
                notice();
                rx.recv().expect("the worker answers unless it panicked, which the scope re-raises")
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the worker ended without an answer")
            }
        }
    })
}
