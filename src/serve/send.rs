//! Sending a response at the client's pace, within bounds: a response is held in memory until
//! the client has taken it, so a client that asks for a large page or report and never reads
//! it would hold that memory for as long as its connection stays open (hostile review R3: eight
//! such connections held 205 MB for more than four minutes). A connection's writes are
//! watched: once the client holds a write up, it must read at least `--min-send-rate` bytes a
//! second over each [`SEND_RATE_WINDOW`] while it does, and no response may still be sending
//! `--send-timeout` after it was ready; past either, the write fails, the connection is dropped
//! and what it held is freed.
//!
//! What the client read is judged by the bytes the socket still holds unacknowledged
//! ([`Unacknowledged`], `TIOCOUTQ` on Linux) and the writes it accepted, not by the writes
//! alone: Linux wakes a held-up writer only once a third or so of its send buffer (megabytes on
//! loopback) is free, so a client reading steadily at 100 KB/s let no write through for more
//! than 5 seconds and was dropped after 39 s of a 36 MB page (hostile review F3).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// The span over which a client that holds a response up is judged: long enough for an honest
/// link to stall a few seconds, short enough that a client that stopped reading frees its
/// response within seconds.
pub(crate) const SEND_RATE_WINDOW: Duration = Duration::from_secs(5);

/// When a connection's latest response was ready: shared by the service, which sets it as each
/// request arrives and again as its response leaves the handlers, and the connection's writer,
/// which bounds its sending.
#[derive(Debug)]
pub(crate) struct ResponseClock {
    /// When the connection was accepted: the clock counts from it.
    opened: Instant,
    /// Milliseconds from `opened` to when the latest response was ready (0: none yet; an
    /// answer hyper makes itself, such as a header timeout, counts from the connection).
    ready_ms: AtomicU64,
}

impl ResponseClock {
    pub(crate) fn new() -> Arc<ResponseClock> {
        Arc::new(ResponseClock {
            opened: Instant::now(),
            ready_ms: AtomicU64::new(0),
        })
    }

    /// A response is ready to be sent now.
    pub(crate) fn ready(&self) {
        let ms = u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.ready_ms.store(ms, Ordering::Relaxed);
    }

    fn ready_at(&self) -> Instant {
        self.opened + Duration::from_millis(self.ready_ms.load(Ordering::Relaxed))
    }
}

/// The bytes a connection's socket still holds that the client has not yet acknowledged (sent
/// or not): the part of what was written that the client has not read.
pub(crate) trait Unacknowledged {
    /// `None` where the system does not say; the pace is then judged by the writes alone.
    fn unacknowledged(&self) -> Option<u64>;
}

impl Unacknowledged for tokio::net::TcpStream {
    #[cfg(target_os = "linux")]
    fn unacknowledged(&self) -> Option<u64> {
        use std::os::fd::AsRawFd;
        let mut queued: libc::c_int = 0;
        // SAFETY: `TIOCOUTQ` (`SIOCOUTQ` for a socket) writes one `int` through the pointer,
        // which points to one; the descriptor is this stream's own and open while it lives.
        let status = unsafe { libc::ioctl(self.as_raw_fd(), libc::TIOCOUTQ, &mut queued) };
        if status == 0 {
            u64::try_from(queued).ok()
        } else {
            None
        }
    }

    // Elsewhere the kernels this runs on wake a writer once a little of its buffer is free
    // (`SO_SNDLOWAT`, 2 KiB on macOS and the BSDs), so the writes follow the client's reading.
    #[cfg(not(target_os = "linux"))]
    fn unacknowledged(&self) -> Option<u64> {
        None
    }
}

/// A connection whose writes are bounded in pace and time; reads pass through.
pub(crate) struct Paced<S> {
    inner: S,
    clock: Arc<ResponseClock>,
    /// Bytes a second the client must take while it holds writes up; 0: no minimum.
    min_rate: u64,
    /// Longest a response may take to send once ready.
    send_timeout: Duration,
    /// Since when the client has been judged (from the first write it held up), with what it
    /// has read since and the response it was judged on.
    judged: Option<Judged>,
    /// Wakes a held-up write when its window or the response's time ends.
    timer: Pin<Box<Sleep>>,
}

/// One window of judging a client that holds writes up.
#[derive(Debug)]
struct Judged {
    since: Instant,
    /// Bytes written since `since`.
    written: u64,
    /// What the socket held unacknowledged at `since`.
    unacknowledged: Option<u64>,
    response: Instant,
}

impl Judged {
    fn new(since: Instant, unacknowledged: Option<u64>, response: Instant) -> Judged {
        Judged {
            since,
            written: 0,
            unacknowledged,
            response,
        }
    }

    /// What the client read since the window began: what was written, less what the socket
    /// holds unacknowledged beyond what it held then (written alone where the system does not
    /// say).
    fn read(&self, unacknowledged_now: Option<u64>) -> u64 {
        match (self.unacknowledged, unacknowledged_now) {
            (Some(then), Some(now)) => self.written.saturating_add(then).saturating_sub(now),
            _ => self.written,
        }
    }

    /// Whether the window has ended with the client too slow; `Ok(true)` when it has ended
    /// with the client keeping up.
    fn verdict(
        &self,
        now: Instant,
        unacknowledged_now: Option<u64>,
        min_rate: u64,
    ) -> io::Result<bool> {
        if now < self.since + SEND_RATE_WINDOW {
            return Ok(false);
        }
        let needed = min_rate.saturating_mul(SEND_RATE_WINDOW.as_secs().max(1));
        if self.read(unacknowledged_now) < needed {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took the response slower than --min-send-rate",
            ));
        }
        Ok(true)
    }
}

impl<S: Unacknowledged> Paced<S> {
    pub(crate) fn new(
        inner: S,
        clock: Arc<ResponseClock>,
        min_rate: u64,
        send_timeout: Duration,
    ) -> Paced<S> {
        Paced {
            inner,
            clock,
            min_rate,
            send_timeout,
            judged: None,
            timer: Box::pin(tokio::time::sleep(Duration::ZERO)),
        }
    }

    /// Whether the client has been too slow to go on, judged before each write; the error
    /// ends the connection.
    fn too_slow(&mut self, now: Instant) -> io::Result<()> {
        let response = self.clock.ready_at();
        if now >= response + self.send_timeout {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the response took longer than --send-timeout to send",
            ));
        }
        // A new response starts a new judgement.
        if self.judged.as_ref().is_some_and(|j| j.response != response) {
            self.judged = None;
        }
        if let Some(judged) = &self.judged
            && judged.verdict(now, self.inner.unacknowledged(), self.min_rate)?
        {
            // It kept up: judged afresh from the next write it holds up.
            self.judged = None;
        }
        Ok(())
    }

    /// The client holds a write up: judge it from now on, and wake the write when the window
    /// or the response's time ends, so that a client that reads nothing is judged too.
    fn held_up(&mut self, now: Instant, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let response = self.clock.ready_at();
        if self.min_rate > 0 && self.judged.is_none() {
            self.judged = Some(Judged::new(now, self.inner.unacknowledged(), response));
        }
        let mut wake_at = response + self.send_timeout;
        if let Some(judged) = &self.judged {
            wake_at = wake_at.min(judged.since + SEND_RATE_WINDOW);
        }
        self.timer.as_mut().reset(wake_at);
        if self.timer.as_mut().poll(cx).is_ready() {
            // Already past: polled again at once, and judged then.
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }

    fn took(&mut self, bytes: usize) {
        if let Some(judged) = &mut self.judged {
            judged.written = judged.written.saturating_add(bytes as u64);
        }
    }
}

impl<S: AsyncWrite + Unacknowledged + Unpin> Paced<S> {
    fn paced_write(
        &mut self,
        cx: &mut Context<'_>,
        write: impl FnOnce(Pin<&mut S>, &mut Context<'_>) -> Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        let now = Instant::now();
        if let Err(error) = self.too_slow(now) {
            return Poll::Ready(Err(error));
        }
        match write(Pin::new(&mut self.inner), cx) {
            Poll::Ready(Ok(bytes)) => {
                self.took(bytes);
                Poll::Ready(Ok(bytes))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => self.held_up(now, cx),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Paced<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unacknowledged + Unpin> AsyncWrite for Paced<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.paced_write(cx, |inner, cx| inner.poll_write(cx, buf))
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.paced_write(cx, |inner, cx| inner.poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN_RATE: u64 = 8192;

    /// A client that holds writes up for longer than the window (Linux wakes the writer only
    /// once much of its buffer is free) but reads steadily meanwhile keeps up: judged by what
    /// it acknowledged, not by the writes, of which there were none.
    #[test]
    fn a_client_reading_while_no_write_goes_through_keeps_up() {
        let since = Instant::now();
        let response = since;
        let judged = Judged::new(since, Some(1_800_000), response);
        let end = since + SEND_RATE_WINDOW;
        // 100 000 bytes a second read from what the socket held.
        let read = 5 * 100_000;
        assert!(
            judged
                .verdict(end, Some(1_800_000 - read), MIN_RATE)
                .unwrap()
        );
        assert_eq!(judged.read(Some(1_800_000 - read)), read);
        // Not judged before its window ends.
        assert!(!judged.verdict(since, Some(1_800_000), MIN_RATE).unwrap());
    }

    #[test]
    fn a_client_that_reads_nothing_or_a_trickle_is_too_slow() {
        let since = Instant::now();
        let judged = Judged::new(since, Some(1_800_000), since);
        let end = since + SEND_RATE_WINDOW;
        assert!(judged.verdict(end, Some(1_800_000), MIN_RATE).is_err());
        // A byte a second.
        assert!(judged.verdict(end, Some(1_800_000 - 5), MIN_RATE).is_err());
        // Just under the minimum over the window, and just at it.
        let needed = MIN_RATE * SEND_RATE_WINDOW.as_secs();
        assert!(
            judged
                .verdict(end, Some(1_800_000 - needed + 1), MIN_RATE)
                .is_err()
        );
        assert!(
            judged
                .verdict(end, Some(1_800_000 - needed), MIN_RATE)
                .unwrap()
        );
    }

    /// Writes that went through count only as far as the client read them: the socket's
    /// unacknowledged bytes grew by what was written and not read.
    #[test]
    fn writes_the_client_did_not_read_do_not_count() {
        let since = Instant::now();
        let mut judged = Judged::new(since, Some(1_000_000), since);
        judged.written = 600_000;
        // The writes went into the socket and nothing left it.
        assert_eq!(judged.read(Some(1_600_000)), 0);
        assert!(
            judged
                .verdict(since + SEND_RATE_WINDOW, Some(1_600_000), MIN_RATE)
                .is_err()
        );
        // Half of them left it.
        assert_eq!(judged.read(Some(1_300_000)), 300_000);
    }

    /// Where the system does not say what is unacknowledged, the writes are the measure.
    #[test]
    fn without_the_socket_s_count_the_writes_are_judged() {
        let since = Instant::now();
        let mut judged = Judged::new(since, None, since);
        let end = since + SEND_RATE_WINDOW;
        assert!(judged.verdict(end, None, MIN_RATE).is_err());
        judged.written = MIN_RATE * SEND_RATE_WINDOW.as_secs();
        assert!(judged.verdict(end, None, MIN_RATE).unwrap());
        // Counted one way only: a count that appears later is not compared with none.
        assert_eq!(judged.read(Some(0)), judged.written);
    }
}
