//! The host bridge: what a union app's webview offers the bundle through an
//! optional `window.GonghuiHost`, each with the browser's own fallback when
//! the object or the method is missing (the bundle also runs in a plain
//! browser tab).
//!
//! The host object, set before the bundle loads:
//!
//! ```js
//! window.GonghuiHost = {
//!   // The app's signed-in user, vouched for by the app: resolves to
//!   // { app: "<registered app id>", assertion: "<host-signed assertion>" },
//!   // which the bundle exchanges at POST /api/app/session. Rejects (or
//!   // resolves to null) when the app has nobody signed in.
//!   getAssertion() { return Promise.resolve({ app, assertion }) },
//!   share({ title, url, image }) {},   // the app's share sheet
//!   scanQr() { return Promise.resolve("scanned text") },
//!   openExternal(url) {},              // the system browser
//!   close() {},                        // closes the webview
//! };
//! ```

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `window.GonghuiHost`. Every method is `catch`: a host that throws
    /// falls back like one without the method.
    pub type GonghuiHost;

    #[wasm_bindgen(method, catch, js_name = getAssertion)]
    fn get_assertion(this: &GonghuiHost) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn share(this: &GonghuiHost, data: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = scanQr)]
    fn scan_qr(this: &GonghuiHost) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = openExternal)]
    fn open_external(this: &GonghuiHost, url: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn close(this: &GonghuiHost) -> Result<JsValue, JsValue>;
}

// The browser's own QR scanner (BarcodeDetector on the camera's video), for
// scanQr without a host. JavaScript because it is a camera loop of DOM and
// media calls that web_sys would only make longer; wasm-bindgen ships it as
// a snippet beside the bundle.
#[wasm_bindgen(inline_js = r#"
export function browser_can_scan() { return "BarcodeDetector" in globalThis && !!navigator.mediaDevices; }
export async function browser_scan() {
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  const layer = document.createElement("div");
  layer.className = "scan-layer";
  layer.style.cssText = "position:fixed;inset:0;z-index:50;background:#000;display:flex;flex-direction:column";
  const video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.muted = true;
  video.style.cssText = "flex:1;width:100%;object-fit:cover";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = "取消扫码";
  cancel.className = "secondary wide";
  layer.append(video, cancel);
  document.body.append(layer);
  video.srcObject = stream;
  await video.play();
  try {
    return await new Promise((resolve, reject) => {
      cancel.onclick = () => reject(new Error("cancelled"));
      const look = async () => {
        if (!layer.isConnected) return;
        try {
          const [code] = await detector.detect(video);
          if (code) { resolve(code.rawValue); return; }
        } catch (e) { reject(e); return; }
        setTimeout(look, 250);
      };
      look();
    });
  } finally {
    stream.getTracks().forEach((t) => t.stop());
    layer.remove();
  }
}
"#)]
extern "C" {
    fn browser_can_scan() -> bool;
    #[wasm_bindgen(catch)]
    async fn browser_scan() -> Result<JsValue, JsValue>;
}

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// The host object, when it has method `name`.
fn host_with(name: &str) -> Option<GonghuiHost> {
    let host = get(&js_sys::global(), "GonghuiHost")?;
    get(&host, name).filter(JsValue::is_function)?;
    Some(host.unchecked_into())
}

/// Awaits `value` when it is a Promise (a host may answer either way).
async fn settle(value: JsValue) -> Result<JsValue, JsValue> {
    match value.dyn_into::<js_sys::Promise>() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(value) => Ok(value),
    }
}

/// The host's assertion for its signed-in user: `(app, assertion)`, or
/// `None` without a host, or when it has nobody signed in.
pub async fn assertion() -> Option<(String, String)> {
    let host = host_with("getAssertion")?;
    let answer = settle(host.get_assertion().ok()?).await.ok()?;
    let app = get(&answer, "app")?.as_string()?;
    let assertion = get(&answer, "assertion")?.as_string()?;
    Some((app, assertion))
}

/// How a share went, for the page to say.
pub enum Shared {
    /// The host's or the browser's share sheet opened.
    Sheet,
    /// No share sheet: the link was copied (「链接已复制」).
    Copied,
    /// Nothing worked: the page shows the link to copy by hand.
    Failed,
}

pub async fn share(title: &str, url: &str, image: Option<&str>) -> Shared {
    let data = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        let _ = js_sys::Reflect::set(&data, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    set("title", title);
    set("url", url);
    if let Some(host) = host_with("share") {
        if let Some(image) = image {
            set("image", image);
        }
        if let Ok(answer) = host.share(&data) {
            if settle(answer).await.is_ok() {
                return Shared::Sheet;
            }
        }
    }
    let navigator = get(&js_sys::global(), "navigator");
    if let Some(share) = navigator.as_ref().and_then(|n| get(n, "share")).filter(JsValue::is_function) {
        let call =
            share.unchecked_into::<js_sys::Function>().call1(navigator.as_ref().unwrap_or(&JsValue::NULL), &data);
        if let Ok(promise) = call {
            match settle(promise).await {
                Ok(_) => return Shared::Sheet,
                // The member closed the sheet: nothing more to do.
                Err(e) if get(&e, "name").and_then(|n| n.as_string()).as_deref() == Some("AbortError") => {
                    return Shared::Sheet
                }
                Err(_) => {}
            }
        }
    }
    let clipboard = navigator.as_ref().and_then(|n| get(n, "clipboard"));
    let write = clipboard.as_ref().and_then(|c| get(c, "writeText")).filter(JsValue::is_function);
    if let (Some(clipboard), Some(write)) = (clipboard, write) {
        if let Ok(promise) = write.unchecked_into::<js_sys::Function>().call1(&clipboard, &JsValue::from_str(url)) {
            if settle(promise).await.is_ok() {
                return Shared::Copied;
            }
        }
    }
    Shared::Failed
}

/// Scans a QR code: the host's scanner, else the browser's (BarcodeDetector),
/// else an error in Chinese saying scanning needs the app.
pub async fn scan_qr() -> Result<String, String> {
    if let Some(host) = host_with("scanQr") {
        let answer = host.scan_qr().map_err(|_| "扫码失败，请重试".to_owned())?;
        return match settle(answer).await {
            Ok(text) => text.as_string().ok_or_else(|| "没有识别到二维码".to_owned()),
            Err(_) => Err("已取消扫码".to_owned()),
        };
    }
    if !browser_can_scan() {
        return Err("此浏览器不能扫码，请在工会 App 中使用扫一扫".to_owned());
    }
    match browser_scan().await {
        Ok(text) => text.as_string().ok_or_else(|| "没有识别到二维码".to_owned()),
        Err(_) => Err("已取消扫码，或没有使用相机的权限".to_owned()),
    }
}

/// Opens `url` outside the webview: the host's browser, else a new tab.
pub fn open_external(url: &str) {
    if let Some(host) = host_with("openExternal") {
        if host.open_external(url).is_ok() {
            return;
        }
    }
    if let Some(window) = web_sys::window() {
        let _ = window.open_with_url_and_target(url, "_blank");
    }
}

/// Closes the webview; in a browser, goes back.
pub fn close() {
    if let Some(host) = host_with("close") {
        if host.close().is_ok() {
            return;
        }
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.back();
    }
}

/// Whether a host app can close this webview (我的 then offers 返回 App).
pub fn can_close() -> bool {
    host_with("close").is_some()
}
