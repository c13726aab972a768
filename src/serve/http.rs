//! HTTP: the last good site from memory, plus the live-reload endpoints.
//!
//! In: requests. Out: the published files with their content types (HTML pages with the
//! live-reload script injected), a redirect for a folder asked without its slash, the
//! site's own 404 page, or 400 for a path that tries to leave the site.
//!
//! Path traversal cannot reach the disk: pages come from an in-memory map and files
//! copied as they are (attachments, static files) are only those the map names. Still, a
//! path is percent-decoded and refused with 400 when a segment is `.` or `..`, or holds
//! a backslash or NUL, so no later change can turn a lookup into a file-system walk.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;

use super::{Published, Served, Shared, reload};

/// The dev server's routes.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(reload::EVENTS, get(reload::events))
        .route(reload::STATUS, get(reload::status))
        .route(reload::SCRIPT, get(reload::script))
        .route("/", get(site_file))
        .route("/{*path}", get(site_file))
        .with_state(shared)
}

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPath;

/// The site path a request path names: percent-decoded, without the leading slash, folders
/// ending in `/`. Refuses `.` and `..` segments, backslashes, NUL and invalid UTF-8.
pub fn site_path(raw: &str) -> Result<String, BadPath> {
    let decoded = percent_decode_str(raw).decode_utf8().map_err(|_| BadPath)?;
    let path = decoded.strip_prefix('/').ok_or(BadPath)?;
    if path.contains(['\\', '\0']) || path.split('/').any(|segment| segment == ".." || segment == ".") {
        return Err(BadPath);
    }
    Ok(path.to_string())
}

async fn site_file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let Ok(path) = site_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "docket serve: this path leaves the site\n").into_response();
    };
    // The site lives under the path of base_url; the bare root leads there.
    let prefix = &shared.base_path[1..];
    let Some(path) = path.strip_prefix(prefix).map(str::to_string) else {
        if path.is_empty() {
            return (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, shared.base_path.clone())]).into_response();
        }
        return not_found(&shared.site()).await;
    };
    let site = shared.site();
    if site.is_empty() {
        return no_site_yet();
    }
    let key = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
    if let Some(served) = site.get(&key) {
        return respond(StatusCode::OK, &key, served).await;
    }
    if site.get(&format!("{path}/index.html")).is_some() {
        let location = format!("{}{path}/", shared.base_path);
        return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response();
    }
    not_found(&site).await
}

async fn not_found(site: &Published) -> Response {
    match site.get("404.html") {
        Some(page) => respond(StatusCode::NOT_FOUND, "404.html", page).await,
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// A page to show before the first good build: the overlay explains what is wrong.
fn no_site_yet() -> Response {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>docket serve</title></head><body><h1>No site yet</h1><p>The knowledge base has errors; fix them and this page reloads.</p></body></html>";
    html_response(StatusCode::SERVICE_UNAVAILABLE, reload::inject(page.as_bytes()))
}

async fn respond(status: StatusCode, path: &str, served: &Served) -> Response {
    let bytes: Vec<u8> = match served {
        Served::Bytes(bytes) if is_html(path) => reload::inject(bytes),
        Served::Bytes(bytes) => bytes.to_vec(),
        Served::File(source) => match tokio::fs::read(source).await {
            Ok(bytes) => bytes,
            Err(_) => return (StatusCode::NOT_FOUND, "the file is gone\n").into_response(),
        },
    };
    if is_html(path) {
        return html_response(status, bytes);
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type(path));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html_response(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// The Content-Type of a file by its extension; text types say they are UTF-8.
pub fn content_type(path: &str) -> HeaderValue {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let structured = |name: &str| matches!(name, "javascript" | "json" | "xml");
    let textual = mime.type_() == mime_guess::mime::TEXT
        || structured(mime.subtype().as_str())
        || mime.suffix().is_some_and(|suffix| structured(suffix.as_str()));
    let value = if textual { format!("{mime}; charset=utf-8") } else { mime.to_string() };
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused_and_ordinary_paths_pass() {
        for bad in ["/../etc/passwd", "/a/%2e%2e/b", "/%2E%2E/x", "/a/./b", "/a%5c..%5cb", "relative", "/%ff"] {
            assert_eq!(site_path(bad), Err(BadPath), "{bad}");
        }
        assert_eq!(site_path("/sections/2-a/"), Ok("sections/2-a/".to_string()));
        assert_eq!(site_path("/a%20b.pdf"), Ok("a b.pdf".to_string()));
        assert_eq!(site_path("/%252e%252e/x"), Ok("%2e%2e/x".to_string()), "double encoding is only a name");
    }

    #[test]
    fn content_types_follow_extensions() {
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("static/docket.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("static/favicon.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("a/report.pdf"), "application/pdf");
    }
}
