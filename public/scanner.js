// The scanner of 商户核销 (/partner) and of an activity's door
// (/admin/activities/{session}), on top of the plain form that works without
// JavaScript. The page says what it scans: `data-prefix` (HY1 claims, HD1
// check-ins), `data-endpoint` (the form's own server function) and the
// public key; the form's hidden fields go along with each code.
//
// - Reads QR codes with the camera where the browser has BarcodeDetector.
// - Checks a code's ed25519 signature against the public key in the page
//   (WebCrypto), with no network: a forged or altered code is refused at
//   the counter even offline.
// - Redeems online (POST /api/partner/redeem, the form's own server
//   function); offline, a genuine code is kept in localStorage and redeemed
//   when the network is back. The server records a redemption once, so a
//   code kept twice, or used at another counter meanwhile, is refused then
//   with the time of its first use.
(() => {
  const box = document.getElementById('scanner');
  if (!box) return;
  const result = document.getElementById('scan-result');
  const queueNote = document.getElementById('scan-queue');
  const form = document.getElementById('redeem-form');
  const prefix = box.dataset.prefix || 'HY1';
  const endpoint = box.dataset.endpoint || '/api/partner/redeem';
  const QUEUE = 'gonghui.scan.queue:' + endpoint + ':' + location.pathname;

  const fromBase64Url = (text) => {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  };
  let key = null;
  const publicKey = () =>
    (key ??= crypto.subtle.importKey('raw', fromBase64Url(box.dataset.publicKey), { name: 'Ed25519' }, false, ['verify']));

  // true: genuine; false: forged or not a code; null: cannot tell here
  // (a typed code, which only the server can check, or no Ed25519).
  async function checkOffline(code) {
    const at = code.lastIndexOf('.');
    if (at < 0) return null;
    const message = code.slice(0, at);
    if (!new RegExp('^' + prefix + '\\.\\d+\\.\\d+$').test(message)) return false;
    try {
      return await crypto.subtle.verify({ name: 'Ed25519' }, await publicKey(), fromBase64Url(code.slice(at + 1)),
        new TextEncoder().encode(message));
    } catch (error) {
      return null;
    }
  }

  const show = (text, ok) => {
    result.textContent = text;
    result.className = 'scan-result ' + (ok ? 'banner banner-notice' : 'banner banner-error');
  };
  const queued = () => {
    try { return JSON.parse(localStorage.getItem(QUEUE) || '[]'); } catch (error) { return []; }
  };
  const save = (codes) => {
    localStorage.setItem(QUEUE, JSON.stringify(codes));
    queueNote.textContent = codes.length ? `离线暂存 ${codes.length} 个，联网后自动提交` : '';
  };

  async function redeem(code) {
    const body = new URLSearchParams();
    for (const input of form.querySelectorAll('input[type=hidden]')) body.append(input.name, input.value);
    body.append('code', code);
    const response = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    const answer = await response.json().catch(() => ({}));
    if (response.ok) return { ok: true, text: answer.notice };
    const text = (answer.Rejected && answer.Rejected.message) || '提交失败，请稍后再试';
    return { ok: false, text, retry: response.status >= 500 };
  }

  function keep(code) {
    const codes = queued();
    if (!codes.includes(code)) codes.push(code);
    save(codes);
  }

  async function handle(raw) {
    const code = raw.trim();
    const genuine = await checkOffline(code);
    if (genuine === false) {
      show('✗ 这不是有效的二维码（签名不符）', false);
      return;
    }
    if (!navigator.onLine) {
      if (genuine === null) {
        show('当前离线，无法核验手输的码；请扫二维码，或联网后再试', false);
        return;
      }
      keep(code);
      show('✓ 离线核验通过：二维码真实有效，已暂存；联网后自动提交并确认是否已用过', true);
      return;
    }
    try {
      const answer = await redeem(code);
      if (answer.retry) keep(code);
      show((answer.ok ? '✓ ' : '✗ ') + answer.text, answer.ok);
    } catch (error) {
      keep(code);
      show('网络中断：已暂存，联网后自动提交', true);
    }
  }

  let syncing = false;
  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const codes = queued();
      const left = [];
      const lines = [];
      for (const code of codes) {
        try {
          const answer = await redeem(code);
          if (answer.retry) left.push(code);
          else lines.push((answer.ok ? '✓ ' : '✗ ') + answer.text);
        } catch (error) {
          left.push(code);
        }
      }
      save(left);
      if (lines.length) show('联网后提交：' + lines.join('；'), lines.every((l) => l.startsWith('✓')));
    } finally {
      syncing = false;
    }
  }

  // Offline, the form cannot post: check the code here instead.
  form.addEventListener('submit', (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    handle(form.elements.code.value);
  });
  window.addEventListener('online', sync);
  save(queued());
  sync();
  // End-to-end tests wait for this before going offline.
  box.dataset.ready = 'true';

  const start = document.getElementById('scan-start');
  if ('BarcodeDetector' in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    start.hidden = false;
    start.addEventListener('click', async () => {
      try {
        const detector = new BarcodeDetector({ formats: ['qr_code'] });
        const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
        const video = document.getElementById('scan-video');
        video.srcObject = stream;
        video.parentElement.hidden = false;
        start.hidden = true;
        await video.play();
        let last = '';
        const tick = async () => {
          const found = await detector.detect(video).catch(() => []);
          const raw = found.length ? found[0].rawValue : '';
          if (raw && raw !== last) {
            last = raw;
            await handle(raw);
          }
          requestAnimationFrame(tick);
        };
        tick();
      } catch (error) {
        show('无法打开摄像头，请输入核销码', false);
      }
    });
  }
})();
