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
//! A copied file is read only if, with every symbolic link resolved at the moment of the
//! request, it is a regular file inside the knowledge base: swapping an attachment for a
//! link to `/etc/shadow` after the build gives 404, not the file.
//!
//! Every request must name the server by a loopback name or an IP address in its `Host`
//! header (see [`host_allowed`]): a page on another site that rebinds its own domain name
//! to 127.0.0.1 sends that domain name, and is refused before it can read the preview or
//! its status.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
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
        .layer(middleware::from_fn(check_host))
        .with_state(shared)
}

/// Refuses a request whose `Host` is not the server's own (see the module documentation).
async fn check_host(headers: HeaderMap, request: Request, next: Next) -> Response {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    if host_allowed(host) {
        return next.run(request).await;
    }
    (StatusCode::MISDIRECTED_REQUEST, "docket serve answers only to localhost, 127.0.0.1 or [::1]\n").into_response()
}

/// Whether a `Host` header (with or without its port) names this machine's preview:
/// `localhost`, a name under `.localhost` (RFC 6761 keeps them on loopback), or an IP
/// address, which covers `127.0.0.1`, `[::1]` and the address given to `--bind`. A DNS
/// rebinding attack needs a domain name of its own, so an IP address is never one.
pub fn host_allowed(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => {
            return rest.split_once(']').is_some_and(|(ip, port)| {
                ip.parse::<std::net::Ipv6Addr>().is_ok()
                    && (port.is_empty() || port.strip_prefix(':').is_some_and(is_port))
            });
        }
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
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
        return not_found(&shared.site(), &shared.confine).await;
    };
    let site = shared.site();
    if site.is_empty() {
        return no_site_yet();
    }
    let key = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.clone() };
    if let Some(served) = site.get(&key) {
        return respond(StatusCode::OK, &key, served, &shared.confine).await;
    }
    if site.get(&format!("{path}/index.html")).is_some() {
        let location = format!("{}{path}/", shared.base_path);
        return (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response();
    }
    not_found(&site, &shared.confine).await
}

async fn not_found(site: &Published, confine: &[PathBuf]) -> Response {
    match site.get("404.html") {
        Some(page) => respond(StatusCode::NOT_FOUND, "404.html", page, confine).await,
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// A page to show before the first good build: the overlay explains what is wrong.
fn no_site_yet() -> Response {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>docket serve</title></head><body><h1>No site yet</h1><p>The knowledge base has errors; fix them and this page reloads.</p></body></html>";
    html_response(StatusCode::SERVICE_UNAVAILABLE, reload::inject(page.as_bytes()))
}

async fn respond(status: StatusCode, path: &str, served: &Served, confine: &[PathBuf]) -> Response {
    let bytes: Vec<u8> = match served {
        Served::Bytes(bytes) if is_html(path) => reload::inject(bytes),
        Served::Bytes(bytes) => bytes.to_vec(),
        Served::File(source) => match read_confined(source, confine).await {
            Some(bytes) => bytes,
            None => {
                return (StatusCode::NOT_FOUND, "the file is gone or has left the knowledge base\n").into_response();
            }
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

/// Reads a copied file only if its resolved path is a regular file under one of the
/// `confine` folders (already resolved). The file is read by its resolved path, which
/// holds no symbolic link, so one swapped in for the source after the build is not followed.
async fn read_confined(source: &Path, confine: &[PathBuf]) -> Option<Vec<u8>> {
    let resolved = tokio::fs::canonicalize(source).await.ok()?;
    if !confine.iter().any(|folder| resolved.starts_with(folder)) {
        return None;
    }
    if !tokio::fs::metadata(&resolved).await.ok()?.is_file() {
        return None;
    }
    tokio::fs::read(&resolved).await.ok()
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
    fn only_loopback_names_and_ip_addresses_are_accepted_as_host() {
        for good in
            ["localhost", "localhost:1111", "127.0.0.1:8080", "[::1]:1111", "[::1]", "docs.localhost", "192.168.1.5:80"]
        {
            assert!(host_allowed(good), "{good}");
        }
        for bad in [
            "",
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "[::1",
            "localhost:x",
        ] {
            assert!(!host_allowed(bad), "{bad}");
        }
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
