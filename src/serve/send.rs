//! Sending a response at the client's pace, within bounds: a response is held in memory until
//! the client has taken it, so a client that asks for a large page or report and never reads
//! it would hold that memory for as long as its connection stays open (hostile review R3: eight
//! such connections held 205 MB for more than four minutes). A connection's writes are
//! watched: once the client holds a write up, it must take at least `--min-send-rate` bytes a
//! second over the next [`SEND_RATE_WINDOW`], and no response may still be sending
//! `--send-timeout` after it was ready; past either, the write fails, the connection is dropped
//! and what it held is freed.

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

/// A connection whose writes are bounded in pace and time; reads pass through.
pub(crate) struct Paced<S> {
    inner: S,
    clock: Arc<ResponseClock>,
    /// Bytes a second the client must take while it holds writes up; 0: no minimum.
    min_rate: u64,
    /// Longest a response may take to send once ready.
    send_timeout: Duration,
    /// Since when the client has been judged (from the first write it held up), with the bytes
    /// it has taken since and the response it was judged on.
    judged: Option<Judged>,
    /// Wakes a held-up write when its window or the response's time ends.
    timer: Pin<Box<Sleep>>,
}

struct Judged {
    since: Instant,
    taken: u64,
    response: Instant,
}

impl<S> Paced<S> {
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
            && now >= judged.since + SEND_RATE_WINDOW
        {
            let needed = self
                .min_rate
                .saturating_mul(SEND_RATE_WINDOW.as_secs().max(1));
            if judged.taken < needed {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client took the response slower than --min-send-rate",
                ));
            }
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
            self.judged = Some(Judged {
                since: now,
                taken: 0,
                response,
            });
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
            judged.taken = judged.taken.saturating_add(bytes as u64);
        }
    }
}

impl<S: AsyncWrite + Unpin> Paced<S> {
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

impl<S: AsyncWrite + Unpin> AsyncWrite for Paced<S> {
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
