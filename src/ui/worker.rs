//! The engine worker: long jobs (the path to 70) run in a Web Worker so the page keeps
//! answering. Both ends live here — the page's client and the worker's loop — and move only
//! texts (the workspace's as UTF-8 bytes, handed over rather than copied); what a job does
//! is `crate::jobs`, tested on the host.
//!
//! Trunk builds the worker binary (`pcs-worker`) as `pcs-worker.js` + `pcs-worker_bg.wasm`;
//! `pcs-worker-loader.js` (from `public/`) starts it, all from the page's own origin. When a
//! worker cannot start (an old browser, a page opened from a file), jobs run on the page.

use crate::jobs::{Answer, answer_text, read_answer};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Worker};

/// The message a worker sends once it can take jobs.
const READY: &str = "ready";
const LOADER: &str = "./pcs-worker-loader.js";

/// Hears each answer to a job; none when the worker could not start (the job did not run).
type Listener = Box<dyn FnMut(Option<Answer>)>;

/// The page's side: one worker, started on the first job (or warmed ahead of it), and who
/// waits for which answers.
struct Client {
    worker: Worker,
    ready: bool,
    /// Jobs posted before the worker said it was ready, with what each hands over.
    waiting: Vec<(js_sys::Array, js_sys::Array)>,
    listeners: HashMap<u32, Listener>,
    next: u32,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    /// Set when the worker failed to start: jobs then run on the page.
    static BROKEN: RefCell<bool> = const { RefCell::new(false) };
}

/// Run `job` on `workspace` (its file text) in the worker; `listen` hears each answer, the
/// last one final, or none if the worker fails to start. Returns false when no worker can
/// run it; either way the caller then runs the job itself.
pub fn submit(
    job: String,
    workspace: String,
    listen: impl FnMut(Option<Answer>) + 'static,
) -> bool {
    let bytes = js_sys::Uint8Array::new_with_length(workspace.len() as u32);
    bytes.copy_from(workspace.as_bytes());
    submit_bytes(job, bytes, listen)
}

/// [`submit`] with the workspace's text as UTF-8 bytes already out of the page's memory
/// (the app copies a large one a slice per task): handed to the worker (transferred, not
/// cloned), tens of megabytes for a large workspace, which as a JS string would be decoded
/// on the page and cloned again to be posted.
pub fn submit_bytes(
    job: String,
    bytes: js_sys::Uint8Array,
    listen: impl FnMut(Option<Answer>) + 'static,
) -> bool {
    if !started() {
        return false;
    }
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let Some(client) = c.as_mut() else {
            return false;
        };
        let id = client.next;
        client.next += 1;
        client.listeners.insert(id, Box::new(listen));
        let handed = js_sys::Array::of1(&bytes.buffer());
        let message = js_sys::Array::of3(&JsValue::from(id), &job.into(), &bytes);
        if client.ready {
            client
                .worker
                .post_message_with_transfer(&message, &handed)
                .is_ok()
        } else {
            client.waiting.push((message, handed));
            true
        }
    })
}

/// Start the worker ahead of its first job, so that its module loads and compiles while the
/// user reads the page that offers the job, and give it the warm-up job
/// ([`crate::jobs::Job::Warm`]): the first real job then runs on optimised code.
pub fn warm() {
    let fresh = CLIENT.with(|c| c.borrow().is_none());
    if fresh && started() {
        let job = crate::jobs::job_text(&crate::jobs::Job::Warm {
            customers: WARM_UP_CUSTOMERS,
        });
        submit(job, String::new(), |_| {});
    }
}

/// The warm-up partner's size: enough for the browser to optimise the engine's hot code, small
/// enough (a few hundred milliseconds on baseline code) that a click right after the page
/// opens waits little behind it.
const WARM_UP_CUSTOMERS: u32 = 20;

/// Whether a worker runs, starting it if none has started yet (none when it cannot).
fn started() -> bool {
    if BROKEN.with(|b| *b.borrow()) {
        return false;
    }
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = start();
        }
        c.is_some()
    })
}

fn start() -> Option<Client> {
    let worker = Worker::new(LOADER).ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
        if e.data().as_string().as_deref() == Some(READY) {
            CLIENT.with(|c| {
                if let Some(client) = c.borrow_mut().as_mut() {
                    client.ready = true;
                    for (m, handed) in client.waiting.drain(..) {
                        let _ = client.worker.post_message_with_transfer(&m, &handed);
                    }
                }
            });
            return;
        }
        let data = js_sys::Array::from(&e.data());
        let (Some(id), Some(text)) = (data.get(0).as_f64(), data.get(1).as_string()) else {
            return;
        };
        let id = id as u32;
        let answer = read_answer(&text);
        let last = answer.is_final();
        // Taken out while it runs: a listener may submit the next job.
        let listener = CLIENT.with(|c| {
            c.borrow_mut()
                .as_mut()
                .and_then(|client| client.listeners.remove(&id))
        });
        if let Some(mut listen) = listener {
            listen(Some(answer));
            if !last {
                CLIENT.with(|c| {
                    if let Some(client) = c.borrow_mut().as_mut() {
                        client.listeners.insert(id, listen);
                    }
                });
            }
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // A worker that cannot load tells every waiting job it did not run, and later jobs run
    // on the page.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|_: web_sys::Event| {
        BROKEN.with(|b| *b.borrow_mut() = true);
        let listeners = CLIENT.with(|c| {
            c.borrow_mut()
                .take()
                .map(|client| client.listeners)
                .unwrap_or_default()
        });
        for (_, mut listen) in listeners {
            listen(None);
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Some(Client {
        worker,
        ready: false,
        waiting: Vec::new(),
        listeners: HashMap::new(),
        next: 1,
    })
}

/// The worker's side: take `[id, job, workspace bytes]` messages, answer `[id, answer]` for each
/// progress step and the result.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    // The worker's clock, for the benchmark job.
    let performance: Option<web_sys::Performance> =
        js_sys::Reflect::get(&scope, &JsValue::from_str("performance"))
            .ok()
            .and_then(|p| p.dyn_into().ok());
    let now = move || performance.as_ref().map_or(0.0, |p| p.now());
    // What the worker keeps between jobs (the last workspace a plan read).
    let mut kept = crate::jobs::Worker::default();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = js_sys::Array::from(&e.data());
        let id = data.get(0);
        let Some(job) = data.get(1).as_string() else {
            return;
        };
        let post = |a: &Answer| {
            let m = js_sys::Array::of2(&id, &answer_text(a).into());
            let _ = reply.post_message(&m);
        };
        // The workspace's text, handed over as UTF-8 bytes.
        let workspace = data
            .get(2)
            .dyn_into::<js_sys::Uint8Array>()
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok());
        let answer = match workspace {
            Some(text) => kept.run(&job, text, &mut |a| post(a), &now),
            None => Answer::Error("the workspace did not arrive as text".into()),
        };
        post(&answer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&READY.into());
}
