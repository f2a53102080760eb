//! The published explorer (`trajectoire::publish::page`, issue 25): one
//! self-contained file, a scenario download the desktop opens to the same
//! levers, and the page driven in a real headless Chromium over the
//! DevTools protocol (`--remote-debugging-pipe`, through two named pipes:
//! std only). The browser test needs Debian's `chromium`; it skips with a
//! message when it is missing, unless `TRAJECTOIRE_REQUIRE_CHROMIUM=1`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use trajectoire::i18n::Lang;
use trajectoire::model::load::default_model;
use trajectoire::publish::page::{Page, deck_html, explorer_html};
use trajectoire::scenario::Opened;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("trajectoire-publish-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn default_page(lang: Lang) -> String {
    let opened = Opened::model(default_model());
    explorer_html(&Page::of_opened(&opened, lang), lang).expect("the default model publishes")
}

/// The data blob's text.
fn data_of(html: &str) -> Value {
    let start = html.find("id=\"trajectoire-data\">").unwrap() + "id=\"trajectoire-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("the data blob is JSON")
}

/// Every `url` field in `v`, at any depth.
fn urls(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("url", Value::String(s)) => out.push(s.clone()),
                    _ => urls(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| urls(x, out)),
        _ => {}
    }
}

#[test]
fn the_page_is_one_file_that_names_nothing_outside_itself() {
    let html = default_page(Lang::En);
    println!(
        "default model explorer: {} bytes ({:.0} kB)",
        html.len(),
        html.len() as f64 / 1024.0
    );
    assert!(html.len() < 1_000_000, "{} bytes: over 1 MB", html.len());
    assert!(html.contains(
        "content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\""
    ));
    for attr in [
        "src=",
        "href=",
        "src =",
        "href =",
        "url(",
        "@import",
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "sendBeacon",
    ] {
        assert!(!html.contains(attr), "the page holds `{attr}`");
    }
    // `http` only where it names no resource: the sources' addresses,
    // shown as text on hover, SVG's namespace name, and the CSP's
    // `http-equiv`.
    let mut cited = Vec::new();
    urls(&data_of(&html), &mut cited);
    assert!(
        !cited.is_empty(),
        "the observations' sources are in the page"
    );
    let mut rest = html
        .replace("http://www.w3.org/2000/svg", "")
        .replace("<meta http-equiv=\"Content-Security-Policy\"", "");
    for u in &cited {
        let json = serde_json::to_string(u).unwrap().replace('<', "\\u003c");
        rest = rest.replace(&json, "\"\"");
    }
    assert!(
        !rest.contains("http"),
        "an address outside the sources: {}",
        {
            let at = rest.find("http").unwrap();
            &rest[at.saturating_sub(80)..(at + 80).min(rest.len())]
        }
    );
}

#[test]
fn the_page_carries_both_languages_with_french_typography() {
    let html = default_page(Lang::Fr);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    let data = data_of(&html);
    let strings = data["strings"].as_object().unwrap();
    for (key, text) in strings {
        let (fr, en) = (text["fr"].as_str().unwrap(), text["en"].as_str().unwrap());
        assert!(!fr.is_empty() && !en.is_empty(), "{key}");
        let faults = trajectoire::i18n::french_typography_faults(fr, false);
        assert!(faults.is_empty(), "{key}: {faults:?}");
    }
    let model = &data["models"][0];
    assert!(model["levers"].as_array().unwrap().len() >= 10);
    assert!(!model["charts"].as_array().unwrap().is_empty());
    assert!(!model["targets"].as_array().unwrap().is_empty());
    assert!(!model["breaks"].as_array().unwrap().is_empty());
    assert!(
        model["uncertainty"]["columns"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
}

/// The scenario file the page writes, with the lever values written in as
/// the page's script does (`scenarioText`), opens on the desktop to the same
/// levers; the browser test checks the script's own output likewise.
#[test]
fn the_scenario_download_opens_on_the_desktop_to_the_same_levers() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/talent_crunch.ron");
    let opened = trajectoire::scenario::open(&path).unwrap();
    let html = explorer_html(&Page::of_opened(&opened, Lang::En), Lang::En).unwrap();
    let data = data_of(&html);
    let step = &data["steps"][0];
    let levers: Vec<(String, f64)> = (data["models"][0]["levers"].as_array().unwrap().iter())
        .zip(step["levers"].as_array().unwrap())
        .map(|(l, v)| (l["id"].as_str().unwrap().to_string(), v.as_f64().unwrap()))
        .collect();
    let mut moved = levers.clone();
    moved[0].1 = (moved[0].1 + 1.0).min(data["models"][0]["levers"][0]["max"].as_f64().unwrap());
    moved.sort_by(|a, b| a.0.cmp(&b.0));
    let indent = step["ron_indent"].as_str().unwrap();
    let body: String = (moved.iter())
        .map(|(id, v)| format!("{indent}{id:?}: {},\n", js_number(*v)))
        .collect();
    let text = format!(
        "{}{body}{}",
        step["ron_head"].as_str().unwrap(),
        step["ron_tail"].as_str().unwrap()
    );
    let back = trajectoire::scenario::open_text(&text, None).expect("the desktop opens it");
    for (id, v) in &moved {
        let i = back.model.lever_index(id).unwrap();
        assert_eq!(back.levers[i], *v, "{id}");
    }
    let s = back.scenario.unwrap();
    assert_eq!(s.name, opened.scenario.as_ref().unwrap().name);
    assert_eq!(s.notes, opened.scenario.as_ref().unwrap().notes);
}

/// A number as the page's `ronNumber` writes it.
fn js_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

#[test]
fn a_deck_publishes_as_a_story() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/story.deck.ron");
    let deck = trajectoire::deck::open(&path).unwrap();
    let html = deck_html(&deck, Lang::En).unwrap();
    let data = data_of(&html);
    assert_eq!(data["steps"].as_array().unwrap().len(), deck.steps.len());
    assert_eq!(
        data["models"].as_array().unwrap().len(),
        1,
        "the steps share one model"
    );
    assert_eq!(data["steps"][5]["bands"], json!(true));
    assert!(html.len() < 1_000_000, "{} bytes", html.len());
}

#[test]
fn the_cli_writes_the_page_in_the_language_asked() {
    let out = tmp("cli.explorer.html");
    let _ = std::fs::remove_file(&out);
    let status = Command::new(env!("CARGO_BIN_EXE_trajectoire"))
        .args([
            "publish",
            "saves/current_trajectory.ron",
            "--lang",
            "fr",
            "--out",
        ])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
}

// ------------------------------------------------------------ the browser

fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if found.is_none() {
        let required = std::env::var("TRAJECTOIRE_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "TRAJECTOIRE_REQUIRE_CHROMIUM=1 but no chromium is installed"
        );
        eprintln!(
            "skipped: no chromium (apt-get install chromium); set TRAJECTOIRE_REQUIRE_CHROMIUM=1 to require it"
        );
    }
    found
}

/// A headless Chromium spoken to over the DevTools protocol on a pipe:
/// NUL-separated JSON messages on its fds 3 (in) and 4 (out).
struct Browser {
    child: Child,
    to: std::fs::File,
    from: Receiver<Value>,
    next_id: u64,
    session: Option<String>,
    events: Vec<Value>,
    /// The pipes and the profile, removed when the browser goes.
    dir: PathBuf,
}

impl Browser {
    fn start(exe: &Path) -> Browser {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = tmp(&format!("chromium-{n}"));
        std::fs::create_dir_all(&dir).unwrap();
        let (fifo_in, fifo_out) = (dir.join("in"), dir.join("out"));
        for f in [&fifo_in, &fifo_out] {
            let ok = Command::new("mkfifo").arg(f).status().unwrap().success();
            assert!(ok, "mkfifo {}", f.display());
        }
        let profile = dir.join("profile");
        let child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<\"$TRAJ_IN\" 4>\"$TRAJ_OUT\"")
            .arg(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--window-size=1280,720",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .env("TRAJ_IN", &fifo_in)
            .env("TRAJ_OUT", &fifo_out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromium starts");
        // The same order as the shell's redirections: its fd 3, then 4.
        let to = std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo_in)
            .unwrap();
        let from = std::fs::File::open(&fifo_out).unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(from);
            let mut buf = Vec::new();
            while reader.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                buf.pop_if(|b| *b == 0);
                if let Ok(v) = serde_json::from_slice::<Value>(&buf)
                    && tx.send(v).is_err()
                {
                    break;
                }
                buf.clear();
            }
        });
        Browser {
            child,
            to,
            from: rx,
            next_id: 0,
            session: None,
            events: Vec::new(),
            dir,
        }
    }

    /// Sends `method` (to the page's session once attached) and waits for
    /// its answer, keeping the events that come meanwhile.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = &self.session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).unwrap();
        self.to.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.from.recv_timeout(left) {
                Ok(v) if v["id"] == json!(id) => {
                    assert!(v.get("error").is_none(), "{method}: {v}");
                    return v["result"].clone();
                }
                Ok(v) => self.events.push(v),
                Err(RecvTimeoutError::Timeout) => panic!("{method}: no answer in 30 s"),
                Err(RecvTimeoutError::Disconnected) => panic!("{method}: chromium went away"),
            }
        }
    }

    /// Waits for event `method`, up to `secs`.
    fn wait_event(&mut self, method: &str, secs: u64) -> bool {
        if self.events.iter().any(|e| e["method"] == json!(method)) {
            return true;
        }
        let deadline = Instant::now() + Duration::from_secs(secs);
        while let Ok(v) = self
            .from
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            let hit = v["method"] == json!(method);
            self.events.push(v);
            if hit {
                return true;
            }
        }
        false
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {r}");
        r["result"]["value"].clone()
    }

    fn mouse(&mut self, kind: &str, x: f64, y: f64) {
        let buttons = if kind == "mouseReleased" { 0 } else { 1 };
        self.call(
            "Input.dispatchMouseEvent",
            json!({"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": 1}),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.session = None;
        let _ = self
            .to
            .write_all(b"{\"id\":999999,\"method\":\"Browser.close\"}\0");
        std::thread::sleep(Duration::from_millis(300));
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Opens `file` in a fresh page of `b`, with Runtime, Log, Network and
/// Page on, and waits until the page has drawn itself.
fn open_page(b: &mut Browser, file: &Path) -> String {
    let targets = b.call("Target.getTargets", json!({}));
    let page = (targets["targetInfos"].as_array().unwrap().iter())
        .find(|t| t["type"] == json!("page"))
        .map(|t| t["targetId"].as_str().unwrap().to_string())
        .unwrap_or_else(|| {
            let t = b.call("Target.createTarget", json!({"url": "about:blank"}));
            t["targetId"].as_str().unwrap().to_string()
        });
    let s = b.call(
        "Target.attachToTarget",
        json!({"targetId": page, "flatten": true}),
    );
    b.session = Some(s["sessionId"].as_str().unwrap().to_string());
    for domain in ["Runtime", "Log", "Network", "Page"] {
        b.call(&format!("{domain}.enable"), json!({}));
    }
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1280, "height": 720, "deviceScaleFactor": 1, "mobile": false}),
    );
    let url = format!("file://{}", file.display());
    b.events.clear();
    b.call("Page.navigate", json!({"url": url}));
    assert!(b.wait_event("Page.loadEventFired", 30), "the page loads");
    let ready = b.eval("new Promise(r => { const t0 = Date.now(); (function w() { if (window.trajectoire && document.querySelector('#charts path.scenario')) r(true); else if (Date.now() - t0 > 10000) r(false); else setTimeout(w, 50); })(); })");
    assert_eq!(ready, json!(true), "the page draws its charts");
    url
}

/// What went wrong in the page: exceptions, console errors, log errors.
fn errors(b: &Browser) -> Vec<String> {
    (b.events.iter())
        .filter(|e| match e["method"].as_str() {
            Some("Runtime.exceptionThrown") => true,
            Some("Runtime.consoleAPICalled") => e["params"]["type"] == json!("error"),
            Some("Log.entryAdded") => e["params"]["entry"]["level"] == json!("error"),
            _ => false,
        })
        .map(|e| e.to_string())
        .collect()
}

/// Every request the page made, but for the page itself.
fn requests(b: &Browser, page: &str) -> Vec<String> {
    (b.events.iter())
        .filter(|e| e["method"] == json!("Network.requestWillBeSent"))
        .map(|e| {
            e["params"]["request"]["url"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .filter(|u| u != page)
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

#[test]
fn the_page_runs_in_a_real_browser_with_no_request_and_no_error() {
    let Some(exe) = chromium() else { return };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/current_trajectory.ron");
    let opened = trajectoire::scenario::open(&path).unwrap();
    let html = explorer_html(&Page::of_opened(&opened, Lang::En), Lang::En).unwrap();
    let file = tmp("current_trajectory.explorer.html");
    std::fs::write(&file, &html).unwrap();
    let mut b = Browser::start(&exe);
    let url = open_page(&mut b, &file);

    let headline = |b: &mut Browser| {
        b.eval("document.querySelector('#headline').innerText")
            .as_str()
            .unwrap()
            .to_string()
    };
    let path_d = |b: &mut Browser| {
        b.eval("document.querySelector('#charts path.scenario').getAttribute('d')")
            .as_str()
            .unwrap()
            .to_string()
    };
    let (h0, d0) = (headline(&mut b), path_d(&mut b));
    assert!(h0.contains("Off track") || h0.contains("On track"), "{h0}");
    assert!(
        h0.contains("270,000"),
        "the 2030 jobs target, English figures: {h0}"
    );

    // A slider set and its `input` dispatched, as a script would.
    let set = "(() => { const s = document.querySelector('input[data-lever=\"demand_growth\"]'); s.value = s.max; s.dispatchEvent(new Event('input', {bubbles: true})); return s.value; })()";
    b.eval(set);
    let (h1, d1) = (headline(&mut b), path_d(&mut b));
    assert_ne!(h0, h1, "the headline follows the lever");
    assert_ne!(d0, d1, "the chart follows the lever");
    let hash = b.eval("new Promise(r => setTimeout(() => r(location.hash), 400))");
    assert!(hash.as_str().unwrap().contains("demand_growth="), "{hash}");

    // A real drag of another slider's thumb with the mouse.
    let rect = b.eval("(() => { const s = document.querySelector('input[data-lever=\"attrition\"]'); s.scrollIntoView({block: 'center'}); const r = s.getBoundingClientRect(); const f = (s.value - s.min) / (s.max - s.min); return [r.left + 8 + f * (r.width - 16), r.top + r.height / 2, r.left + 8, r.width]; })()");
    let r: Vec<f64> = rect
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let before = b.eval("document.querySelector('input[data-lever=\"attrition\"]').value");
    b.mouse("mouseMoved", r[0], r[1]);
    b.mouse("mousePressed", r[0], r[1]);
    for k in 1..=10 {
        b.mouse("mouseMoved", r[0] - (r[0] - r[2]) * k as f64 / 10.0, r[1]);
    }
    b.mouse("mouseReleased", r[2], r[1]);
    let after = b.eval("document.querySelector('input[data-lever=\"attrition\"]').value");
    assert_ne!(before, after, "the drag moves the slider");
    let h2 = headline(&mut b);
    assert_ne!(h1, h2, "the headline follows the drag");

    // Time one slider input: re-simulation and redraw, the style and
    // layout it causes included (forced), by performance.now in the page.
    let times = b.eval("(() => { const s = document.querySelector('input[data-lever=\"demand_growth\"]'); const out = []; for (let k = 0; k < 100; k++) { s.value = String(Number(s.min) + (k % 20) * (s.max - s.min) / 20); const t0 = performance.now(); s.dispatchEvent(new Event('input', {bubbles: true})); document.querySelector('#charts').getBoundingClientRect(); out.push(performance.now() - t0); } return out; })()");
    let ms: Vec<f64> = times
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let worst = ms.iter().copied().fold(0.0, f64::max);
    println!(
        "one slider input, re-simulation, redraw and layout: median {:.2} ms, worst {:.2} ms over {} inputs",
        median(ms.clone()),
        worst,
        ms.len()
    );
    println!(
        "  of the last: {}",
        b.eval("JSON.stringify(window.trajectoire.state.timing)")
    );

    // The download opens on the desktop to the page's levers.
    let text = b.eval("window.trajectoire.scenarioText()");
    let page_levers = b.eval("Array.from(window.trajectoire.state.levers)");
    let back = trajectoire::scenario::open_text(text.as_str().unwrap(), None)
        .expect("the desktop opens the page's scenario");
    let page_levers: Vec<f64> = page_levers
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(back.levers, page_levers);
    // And the button: a real download (a blob: address, never the network).
    let downloads = tmp("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let session = b.session.take();
    b.call(
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": downloads.to_str().unwrap()}),
    );
    b.session = session;
    b.eval("document.querySelector('#download').click()");
    let saved = downloads.join("Current trajectory _ Trajectoire actuelle.ron");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !saved.is_file() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let back = trajectoire::scenario::open(&saved).expect("the downloaded scenario opens");
    assert_eq!(back.levers, page_levers);

    // French: the switch, the numbers' format.
    b.eval("document.querySelector('#langs button[data-lang=\"fr\"]').click()");
    let fr = headline(&mut b);
    assert!(fr.contains("270\u{a0}000"), "French figures: {fr}");

    // Bands arrive after the redraw.
    b.eval("(() => { const c = [...document.querySelectorAll('#options input[type=checkbox]')].pop(); if (!c.checked) c.click(); })()");
    let bands = b.eval("new Promise(r => { const t0 = Date.now(); (function w() { const n = document.querySelectorAll('#charts path.band').length; if (n) r(n); else if (Date.now() - t0 > 20000) r(0); else setTimeout(w, 100); })(); })");
    assert!(bands.as_u64().unwrap() > 0, "uncertainty bands are drawn");

    // A bad address is said, never thrown.
    b.eval("location.hash = '#demand_growth=999&nope=1&attrition=abc'");
    let note = b.eval(
        "new Promise(r => setTimeout(() => r(document.querySelector('#note').innerText), 300))",
    );
    assert!(note.as_str().unwrap().contains("nope"), "{note}");
    // Nothing read: the scenario's own levers stay.
    let i = opened.model.lever_index("demand_growth").unwrap();
    let shown = b.eval("window.trajectoire.lever('demand_growth')");
    assert_eq!(shown.as_f64().unwrap(), opened.levers[i]);
    // An observation's source on hover.
    let tip = b.eval("document.querySelector('#charts circle.observation title').textContent");
    assert!(tip.as_str().unwrap().contains("Source"), "{tip}");

    // A link reproduces a setting.
    let hash = "#demand_growth=1.5&training_output[digital]=50000";
    b.call("Page.navigate", json!({"url": format!("{url}{hash}")}));
    let read = b.eval("new Promise(r => setTimeout(() => r([window.trajectoire.lever('demand_growth'), window.trajectoire.lever('training_output[digital]'), window.trajectoire.lever('attrition')]), 500))");
    let defaults = trajectoire::model::load::default_model();
    let attrition = defaults.levers()[defaults.lever_index("attrition").unwrap()].default;
    let read: Vec<f64> = read
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(
        read,
        [1.5, 50000.0, attrition],
        "the link's levers, the others at default"
    );

    let errs = errors(&b);
    assert!(errs.is_empty(), "errors in the page: {errs:#?}");
    let reqs = requests(&b, &url);
    let reqs: Vec<&String> = reqs.iter().filter(|u| !u.starts_with(&url)).collect();
    assert!(reqs.is_empty(), "requests left the page: {reqs:?}");
}

#[test]
fn a_published_deck_steps_with_the_arrow_keys_and_its_levers_still_move() {
    let Some(exe) = chromium() else { return };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/story.deck.ron");
    let deck = trajectoire::deck::open(&path).unwrap();
    let file = tmp("story.explorer.html");
    std::fs::write(&file, deck_html(&deck, Lang::En).unwrap()).unwrap();
    let mut b = Browser::start(&exe);
    let url = open_page(&mut b, &file);
    let title = |b: &mut Browser| {
        b.eval("document.querySelector('#step-title').innerText")
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(title(&mut b).starts_with("Step 1/6"), "{}", title(&mut b));
    let key = |b: &mut Browser, key: &str, code: u32| {
        for kind in ["keyDown", "keyUp"] {
            b.call(
                "Input.dispatchKeyEvent",
                json!({"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code}),
            );
        }
    };
    key(&mut b, "ArrowRight", 39);
    key(&mut b, "ArrowRight", 39);
    key(&mut b, "PageDown", 34);
    assert!(title(&mut b).starts_with("Step 4/6"), "{}", title(&mut b));
    key(&mut b, "ArrowLeft", 37);
    assert!(title(&mut b).starts_with("Step 3/6"), "{}", title(&mut b));
    key(&mut b, "ArrowRight", 39);
    // Step 4's own scenario: the contract programme's levers.
    let step4 = &deck.steps[3];
    let i = step4.model.lever_index("training_output[digital]").unwrap();
    let shown = b.eval("window.trajectoire.lever('training_output[digital]')");
    assert_eq!(shown.as_f64().unwrap(), step4.levers[i]);
    let h0 = b.eval("document.querySelector('#headline').innerText");
    b.eval("(() => { const s = document.querySelector('input[data-lever=\"demand_growth\"]'); s.value = s.min; s.dispatchEvent(new Event('input', {bubbles: true})); })()");
    let h1 = b.eval("document.querySelector('#headline').innerText");
    assert_ne!(h0, h1, "the levers still move in a story");
    let hash = b.eval("new Promise(r => setTimeout(() => r(location.hash), 400))");
    assert!(hash.as_str().unwrap().starts_with("#step=4&"), "{hash}");
    let errs = errors(&b);
    assert!(errs.is_empty(), "errors in the page: {errs:#?}");
    let reqs = requests(&b, &url);
    assert!(
        reqs.iter().all(|u| u.starts_with(&url)),
        "requests left the page: {reqs:?}"
    );
}
