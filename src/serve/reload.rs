//! Live reload: the server-sent event stream, the status the error overlay reads, and the
//! script that ties them together in the browser.
//!
//! After every rebuild the rebuild thread publishes a [`Signal`]: `reload` when the site
//! was rebuilt without error (open pages reload, keeping their scroll position), `status`
//! when the edit has errors (open pages keep the last good site and fetch
//! `/__docket/status` to show the overlay; the next good rebuild reloads them, which
//! clears it). The script is served from `/__docket/live.js` and referenced only from
//! pages the dev server sends, so it never reaches `docket build` output.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::Stream;
use serde::Serialize;
use tokio::sync::broadcast;

use super::{Rebuilt, Shared};
use crate::diagnostics::Diagnostic;

/// The path of the event stream.
pub const EVENTS: &str = "/__docket/events";
/// The path of the status document.
pub const STATUS: &str = "/__docket/status";
/// The path of the live-reload script.
pub const SCRIPT: &str = "/__docket/live.js";

/// The tag injected before `</body>` of every HTML page the dev server sends.
pub const SCRIPT_TAG: &str = "<script src=\"/__docket/live.js\"></script>";

const SCRIPT_TEXT: &str = include_str!("live.js");

/// Errors shown in the overlay at most; the terminal has the full list.
const SHOWN: usize = 50;

/// What a rebuild tells open pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// A good rebuild was published: reload.
    Reload {
        /// The rebuild's number.
        generation: u64,
    },
    /// A rebuild found errors: the last good site stays; show the overlay.
    Failed {
        /// The rebuild's number.
        generation: u64,
    },
}

impl Signal {
    fn event(self) -> Event {
        match self {
            Signal::Reload { generation } => Event::default().event("reload").data(generation.to_string()),
            Signal::Failed { generation } => Event::default().event("status").data(generation.to_string()),
        }
    }
}

/// The outcome of the latest rebuild, as `/__docket/status` serves it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Status {
    /// Number of the latest rebuild (1 for the first build).
    pub generation: u64,
    /// Number of the rebuild being served.
    pub served: u64,
    /// True when the latest rebuild had no error.
    pub ok: bool,
    /// Errors found.
    pub errors: usize,
    /// Warnings found.
    pub warnings: usize,
    /// The errors (the first fifty), with path, line, column, message and hint.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of the latest rebuild, in milliseconds.
    pub rebuild_ms: f64,
    /// Markdown files the latest rebuild read (the others came from the cache).
    pub documents_read: usize,
    /// Pages the latest rebuild rendered.
    pub pages_rendered: usize,
    /// Pages the latest rebuild reused.
    pub pages_reused: usize,
}

impl Status {
    /// The status after a rebuild numbered `generation`, serving `served`.
    pub fn new(generation: u64, served: u64, rebuilt: &Rebuilt) -> Status {
        let diagnostics = &rebuilt.diagnostics;
        Status {
            rebuild_ms: rebuilt.elapsed.as_secs_f64() * 1000.0,
            documents_read: rebuilt.documents_read,
            pages_rendered: rebuilt.render.pages_rendered,
            pages_reused: rebuilt.render.pages_reused,
            generation,
            served,
            ok: !diagnostics.has_errors(),
            errors: diagnostics.error_count(),
            warnings: diagnostics.warning_count(),
            diagnostics: diagnostics
                .iter()
                .filter(|d| d.severity == crate::diagnostics::Severity::Error)
                .take(SHOWN)
                .cloned()
                .collect(),
        }
    }
}

/// `GET /__docket/events`: one event per rebuild.
pub(crate) async fn events(State(shared): State<Arc<Shared>>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.signals.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        let signal = match receiver.recv().await {
            Ok(signal) => signal,
            // A slow page missed rebuilds: reloading catches it up.
            Err(broadcast::error::RecvError::Lagged(_)) => Signal::Reload { generation: 0 },
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(signal.event()), receiver))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// `GET /__docket/status`: the latest rebuild's outcome, for the overlay.
pub(crate) async fn status(State(shared): State<Arc<Shared>>) -> Response {
    let json = serde_json::to_string(&shared.status()).unwrap_or_else(|_| "{}".into());
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "no-store")], json).into_response()
}

/// `GET /__docket/live.js`.
pub(crate) async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], SCRIPT_TEXT)
        .into_response()
}

/// Inserts the script tag before the last `</body>`, or at the end of a page without one.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut page = Vec::with_capacity(html.len() + SCRIPT_TAG.len());
    page.extend_from_slice(&html[..at]);
    page.extend_from_slice(SCRIPT_TAG.as_bytes());
    page.extend_from_slice(&html[at..]);
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></BODY></html>");
        assert_eq!(String::from_utf8(page).expect("utf-8"), format!("<html><body><p>x</p>{SCRIPT_TAG}</BODY></html>"));
        assert_eq!(inject(b"<p>x</p>"), format!("<p>x</p>{SCRIPT_TAG}").into_bytes());
    }
}
