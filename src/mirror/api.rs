//! A small client of MediaWiki's Action API (`api.php`): bot-password login, tokens,
//! reading pages, editing, deleting and uploading, over a blocking HTTP client.
//!
//! Every write carries `maxlag`, so a replicated wiki under load tells docket to wait;
//! `maxlag` and rate-limit answers (and HTTP 429/503) are retried after the wait the wiki
//! asks for, doubling up to a bound. Errors keep the API's code, so the report can say
//! what it means and what to do.

use std::fmt;
use std::thread::sleep;
use std::time::Duration;

use serde_json::Value;

/// An error answered by the wiki (or the connection), with the API's code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// The API's error code (`badtoken`, `permissiondenied`, …), or `http` / `network`.
    pub code: String,
    /// The wiki's explanation.
    pub info: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.info, self.code)
    }
}

impl ApiError {
    fn new(code: &str, info: impl Into<String>) -> ApiError {
        ApiError { code: code.to_string(), info: info.into() }
    }

    /// What to do about it, for the codes a mirror meets.
    pub fn hint(&self) -> &'static str {
        match self.code.as_str() {
            "login-failed" | "Failed" | "WrongPass" | "NotExists" | "WrongPluginPass" => {
                "check DOCKET_MEDIAWIKI_USER (a bot-password name such as Admin@docket) and DOCKET_MEDIAWIKI_PASSWORD; create one at Special:BotPasswords"
            }
            "permissiondenied"
            | "writeapidenied"
            | "cantcreate"
            | "protectedpage"
            | "mwoauth-invalid-authorization"
            | "readapidenied"
            | "badaccess-groups" => {
                "give the bot password the grants basic, editpage, createeditmovepage, delete and uploadfile at Special:BotPasswords, and the user the rights to use them"
            }
            "uploaddisabled" => "enable uploads ($wgEnableUploads = true) or remove the attachments",
            "maxlag" | "ratelimited" => "the wiki is busy; run the mirror again later",
            "network" | "http" => "check `api` under [mirror.mediawiki] in docket.toml (the URL of the wiki's api.php)",
            _ => "see the wiki's API documentation for this error code",
        }
    }
}

/// How long to wait before retrying, and how often: MediaWiki's rate limits count edits
/// per minute and say nothing of when to come back, so the waits double from a second up
/// to half a minute, about a minute and a half in all before giving up.
const MAX_ATTEMPTS: u32 = 8;
const FIRST_WAIT: Duration = Duration::from_secs(1);
const MAX_WAIT: Duration = Duration::from_secs(32);

/// A logged-in (or anonymous) session with one wiki.
pub struct Client {
    agent: ureq::Agent,
    api: String,
    csrf: Option<String>,
    /// Seconds of replication lag the wiki may have before refusing writes.
    maxlag: u32,
    /// Total time spent waiting for the wiki to allow a request.
    pub waited: Duration,
}

impl Client {
    /// A session with the wiki at `api` (the URL of `api.php`).
    pub fn new(api: &str) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .user_agent(concat!("docket/", env!("CARGO_PKG_VERSION"), " (mirror mediawiki)"))
            .build();
        Client { agent: config.into(), api: api.to_string(), csrf: None, maxlag: 5, waited: Duration::ZERO }
    }

    /// A read request (GET), retried like a write.
    pub fn get(&mut self, params: &[(&str, &str)]) -> Result<Value, ApiError> {
        self.with_retries(|client| {
            let mut request = client.agent.get(&client.api).query("format", "json").query("formatversion", "2");
            for (key, value) in params {
                request = request.query(*key, *value);
            }
            Self::answer(request.call())
        })
    }

    /// A write request (POST, form encoded) with `maxlag` and the CSRF token.
    pub fn post(&mut self, params: &[(&str, &str)]) -> Result<Value, ApiError> {
        let maxlag = self.maxlag.to_string();
        let mut retried_token = false;
        loop {
            let token = self.csrf.clone().unwrap_or_default();
            let result = self.with_retries(|client| {
                let mut form: Vec<(&str, &str)> = vec![("format", "json"), ("formatversion", "2"), ("maxlag", &maxlag)];
                form.extend_from_slice(params);
                if !token.is_empty() {
                    form.push(("token", &token));
                }
                Self::answer(client.agent.post(&client.api).send_form(form))
            });
            match result {
                Err(error) if error.code == "badtoken" && !retried_token => {
                    retried_token = true;
                    self.fetch_csrf()?;
                }
                other => return other,
            }
        }
    }

    /// An upload (POST, multipart) of a file's bytes.
    pub fn upload(&mut self, params: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> Result<Value, ApiError> {
        let maxlag = self.maxlag.to_string();
        let token = self.csrf.clone().unwrap_or_default();
        let mut fields: Vec<(&str, &str)> =
            vec![("action", "upload"), ("format", "json"), ("formatversion", "2"), ("maxlag", &maxlag)];
        fields.extend_from_slice(params);
        fields.push(("token", &token));
        let (content_type, body) = multipart(&fields, file_name, bytes);
        self.with_retries(|client| {
            Self::answer(client.agent.post(&client.api).header("Content-Type", &content_type).send(&body[..]))
        })
    }

    /// Logs in with a bot password and fetches the CSRF token.
    pub fn login(&mut self, user: &str, password: &str) -> Result<(), ApiError> {
        let answer = self.get(&[("action", "query"), ("meta", "tokens"), ("type", "login")])?;
        let login_token = answer["query"]["tokens"]["logintoken"].as_str().unwrap_or_default().to_string();
        let answer =
            self.post(&[("action", "login"), ("lgname", user), ("lgpassword", password), ("lgtoken", &login_token)])?;
        let result = answer["login"]["result"].as_str().unwrap_or("Failed");
        if result != "Success" {
            let reason = answer["login"]["reason"].as_str().unwrap_or("the wiki gave no reason");
            return Err(ApiError::new("login-failed", format!("logging in as {user} failed: {reason}")));
        }
        self.fetch_csrf()
    }

    fn fetch_csrf(&mut self) -> Result<(), ApiError> {
        let answer = self.get(&[("action", "query"), ("meta", "tokens"), ("type", "csrf")])?;
        self.csrf = answer["query"]["tokens"]["csrftoken"].as_str().map(str::to_string);
        Ok(())
    }

    /// Runs a request, waiting and retrying while the wiki answers `maxlag`,
    /// `ratelimited`, 429 or 503.
    fn with_retries(
        &mut self,
        mut request: impl FnMut(&Client) -> Result<(Value, Option<u64>), ApiError>,
    ) -> Result<Value, ApiError> {
        let mut wait = FIRST_WAIT;
        let mut attempt = 1;
        loop {
            match request(self) {
                Ok((value, _)) => return Ok(value),
                Err(error) if is_busy(&error) && attempt < MAX_ATTEMPTS => {
                    let asked = error.info.strip_prefix("retry-after:").and_then(|s| s.split(' ').next()?.parse().ok());
                    let pause = asked.map(Duration::from_secs).unwrap_or(wait).min(MAX_WAIT);
                    sleep(pause);
                    self.waited += pause;
                    wait = (wait * 2).min(MAX_WAIT);
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// The JSON of an answer, or its error.
    fn answer(
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<(Value, Option<u64>), ApiError> {
        let mut response = response.map_err(|e| ApiError::new("network", e.to_string()))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| ApiError::new("network", e.to_string()))?;
        if status == 429 || status == 503 {
            let info = format!("retry-after:{} HTTP {status}", retry_after.unwrap_or(1));
            return Err(ApiError::new("http-busy", info));
        }
        if status >= 400 {
            return Err(ApiError::new(
                "http",
                format!("HTTP {status}: {}", text.chars().take(200).collect::<String>()),
            ));
        }
        let value: Value = serde_json::from_str(&text).map_err(|_| {
            ApiError::new(
                "http",
                format!("the answer is not the API's JSON: {}", text.chars().take(200).collect::<String>()),
            )
        })?;
        if let Some(error) = value.get("error") {
            let code = error["code"].as_str().unwrap_or("unknown");
            let info = error["info"].as_str().unwrap_or_default();
            let info = match (code, retry_after) {
                ("maxlag" | "ratelimited", Some(seconds)) => format!("retry-after:{seconds} {info}"),
                _ => info.to_string(),
            };
            return Err(ApiError::new(code, info));
        }
        Ok((value, retry_after))
    }
}

fn is_busy(error: &ApiError) -> bool {
    matches!(error.code.as_str(), "maxlag" | "ratelimited" | "http-busy")
}

/// A `multipart/form-data` body: the fields, then the file.
fn multipart(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("docket-boundary-{:016x}", foldhash_of(bytes));
    let mut body = Vec::with_capacity(bytes.len() + 1024);
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    let quoted = file_name.replace('"', "%22");
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{quoted}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A hash of the file for the multipart boundary, so the boundary never occurs in it by
/// chance of a fixed string (a file holding this very source, say).
fn foldhash_of(bytes: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = foldhash::fast::FixedState::with_seed(7).build_hasher();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multipart_body_holds_the_fields_and_the_file() {
        let (content_type, body) = multipart(&[("filename", "a.png")], "a.png", b"PNG");
        let boundary = content_type.split("boundary=").nth(1).expect("boundary");
        let text = String::from_utf8(body).expect("utf-8");
        assert!(text.starts_with(&format!("--{boundary}\r\n")));
        assert!(text.contains("name=\"filename\"\r\n\r\na.png\r\n"));
        assert!(text.contains("filename=\"a.png\"\r\nContent-Type: application/octet-stream\r\n\r\nPNG\r\n"));
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }

    #[test]
    fn errors_say_what_to_do() {
        assert!(ApiError::new("login-failed", "x").hint().contains("Special:BotPasswords"));
        assert!(ApiError::new("permissiondenied", "x").hint().contains("grants"));
        assert!(is_busy(&ApiError::new("maxlag", "retry-after:5 lag")));
    }
}
