//! The few browser services the app needs: localStorage as a [`KeyValue`], reading a
//! picked or dropped file as bytes, fetching the files shipped next to the page, downloading
//! text as a file, today's date.

use crate::model::Date;
use crate::store::{KeyValue, MemoryKv, StoreError, utf16_bytes};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

/// Where workspaces live: the browser's localStorage, or memory when it is unavailable.
pub enum Backend {
    Browser(web_sys::Storage),
    Memory(MemoryKv),
}

impl Backend {
    /// localStorage when the browser allows it (a test write succeeds), else memory.
    pub fn open() -> Backend {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        match storage {
            Some(s) if s.set_item("pcs.probe", "1").is_ok() => {
                let _ = s.remove_item("pcs.probe");
                Backend::Browser(s)
            }
            _ => Backend::Memory(MemoryKv::default()),
        }
    }

    pub fn is_persistent(&self) -> bool {
        matches!(self, Backend::Browser(_))
    }
}

fn store_error(e: JsValue) -> StoreError {
    match e.dyn_ref::<web_sys::DomException>() {
        Some(d) if d.name() == "QuotaExceededError" || d.code() == 22 => StoreError::QuotaExceeded,
        Some(d) if d.name() == "SecurityError" => StoreError::Unavailable,
        Some(d) => StoreError::Other(d.message()),
        None => StoreError::Other(format!("{e:?}")),
    }
}

impl KeyValue for Backend {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Backend::Browser(s) => s.get_item(key).map_err(store_error),
            Backend::Memory(m) => m.get(key),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        match self {
            Backend::Browser(s) => s.set_item(key, value).map_err(store_error),
            Backend::Memory(m) => m.set(key, value),
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        match self {
            Backend::Browser(s) => s.remove_item(key).map_err(store_error),
            Backend::Memory(m) => m.remove(key),
        }
    }

    fn used_bytes(&self) -> usize {
        match self {
            Backend::Browser(s) => {
                let n = s.length().unwrap_or(0);
                (0..n)
                    .filter_map(|i| s.key(i).ok().flatten())
                    .filter(|k| k.starts_with("pcs."))
                    .map(|k| {
                        utf16_bytes(&k)
                            + s.get_item(&k).ok().flatten().map_or(0, |v| utf16_bytes(&v))
                    })
                    .sum()
            }
            Backend::Memory(m) => m.used_bytes(),
        }
    }
}

/// Read a file chosen by the user as bytes and hand them to `done`.
pub fn read_file(file: web_sys::File, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
    read_file_with_progress(file, |_| {}, done);
}

/// Bytes copied per task from a file read into the page's memory: 82 MB in one copy was
/// a 240 ms task.
const FILE_COPY_STEP: usize = 8 << 20;

/// [`read_file`], telling `progress` the fraction read so far (large files take a while):
/// the browser's read is the first half, the copy into the page's memory (a slice per
/// task) the second.
pub fn read_file_with_progress(
    file: web_sys::File,
    progress: impl Fn(f64) + 'static,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) {
    let Ok(reader) = web_sys::FileReader::new() else {
        done(Err("this browser cannot read files".into()));
        return;
    };
    let progress = std::rc::Rc::new(progress);
    let r = reader.clone();
    let copying = std::rc::Rc::clone(&progress);
    let onloadend = Closure::once_into_js(move || {
        let read = r.result().ok().filter(|v| !v.is_null());
        let Some(buf) = read.map(|b| js_sys::Uint8Array::new(&b)) else {
            return done(Err("the file could not be read".to_owned()));
        };
        let mut bytes = Vec::new();
        if bytes.try_reserve_exact(buf.length() as usize).is_err() {
            return done(Err(
                "the file is too large for this browser's memory".to_owned()
            ));
        }
        copy_in_steps(buf, bytes, move |f| copying(0.5 + 0.5 * f), done);
    });
    reader.set_onloadend(Some(onloadend.unchecked_ref()));
    let onprogress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                progress(0.5 * e.loaded() / e.total());
            }
        });
    reader.set_onprogress(Some(onprogress.as_ref().unchecked_ref()));
    // The reader lives until the load ends; so must its progress handler.
    onprogress.forget();
    let _ = reader.read_as_array_buffer(&file);
}

/// Copy [`FILE_COPY_STEP`] more bytes of `buf` into `bytes`, then the rest in later tasks.
fn copy_in_steps(
    buf: js_sys::Uint8Array,
    mut bytes: Vec<u8>,
    progress: impl Fn(f64) + 'static,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) {
    let len = buf.length() as usize;
    let from = bytes.len();
    let to = from.saturating_add(FILE_COPY_STEP).min(len);
    bytes.resize(to, 0);
    // Offsets below the array's length, which is a u32.
    buf.subarray(from as u32, to as u32)
        .copy_to(&mut bytes[from..to]);
    if to == len {
        return done(Ok(bytes));
    }
    progress(to as f64 / len as f64);
    leptos::prelude::set_timeout(
        move || copy_in_steps(buf, bytes, progress, done),
        std::time::Duration::ZERO,
    );
}

/// Fetch files shipped next to the page (the demo, the workshop's scenarios) as text, every
/// request started before the first is awaited; one result per URL, in their order.
pub async fn fetch_texts(urls: &[String]) -> Vec<Result<String, String>> {
    let Some(window) = web_sys::window() else {
        return urls
            .iter()
            .map(|_| Err("no browser window".to_owned()))
            .collect();
    };
    let started: Vec<js_sys::Promise> = urls.iter().map(|u| window.fetch_with_str(u)).collect();
    let mut texts = Vec::with_capacity(urls.len());
    for (url, request) in urls.iter().zip(started) {
        texts.push(text_of(url, request).await);
    }
    texts
}

async fn text_of(url: &str, request: js_sys::Promise) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let fail = |e: JsValue| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| format!("{e:?}"));
        format!("{url} could not be fetched: {why}")
    };
    let response: web_sys::Response = JsFuture::from(request)
        .await
        .map_err(fail)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "{url} could not be fetched: the server answered {}",
            response.status()
        ));
    }
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?;
    text.as_string()
        .ok_or_else(|| format!("{url} could not be fetched: it is not text"))
}

/// Resolve in the next task: an await that lets the browser paint and answer input (a
/// resolved promise alone would not).
pub async fn next_task() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let queued =
            web_sys::window().is_some_and(|w| w.set_timeout_with_callback(&resolve).is_ok());
        if !queued {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
}

/// Offer `text` as a download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: JsValue| format!("the download could not start: {e:?}");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = leptos::prelude::document();
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    // Revoke later: revoking at once can cancel the download in some browsers.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(5),
    );
    Ok(())
}

/// A file name for a workspace: its name without characters file systems refuse.
pub fn workspace_file_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_matches('.');
    format!(
        "{}.pcs.json",
        if clean.is_empty() { "workspace" } else { clean }
    )
}

/// Today in the browser's time zone.
pub fn today() -> Option<Date> {
    let d = js_sys::Date::new_0();
    Date::from_ymd(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
}
