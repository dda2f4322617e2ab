//! Peak server memory while the demo correspondent (袁斌) uploads three
//! 5 MB phone photos to the asset library in one post and submits a story
//! carrying them: the release server on a fresh SQLite database with the
//! demo people, its VmHWM read before and after. The budget is 300 MB.

use anyhow::Context;
use rand::Rng;

#[derive(clap::Args, Debug)]
pub struct UploadArgs {
    #[arg(long, default_value = "target/release/gonghui")]
    binary: String,
    /// Photos in the one upload.
    #[arg(long, default_value_t = 3)]
    photos: usize,
}

/// A 4000 × 3000 (12 MP, a phone camera's) JPEG at quality 92 with
/// grain, so the encoder cannot make it small: ~5 MB, as a phone writes.
fn photo() -> anyhow::Result<Vec<u8>> {
    let mut rng = rand::rng();
    let pixels = image::RgbImage::from_fn(4000, 3000, |x, y| {
        let base = ((x / 40 + y / 40) % 2 * 90) as u8 + (x / 20) as u8 % 60;
        let grain = |rng: &mut rand::rngs::ThreadRng| base.wrapping_add(rng.random_range(0..GRAIN));
        image::Rgb([grain(&mut rng), grain(&mut rng), grain(&mut rng)])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92).encode_image(&pixels)?;
    Ok(out)
}

/// Noise amplitude that puts a 12 MP JPEG at ~5 MB.
const GRAIN: u8 = 20;

pub async fn run(args: UploadArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("upload.db").display());
    let media = dir.path().join("media");
    let server = crate::start_server_with(
        &args.binary,
        &url,
        &[("GONGHUI_DEMO_PEOPLE", "true"), ("GONGHUI_MEDIA_DIR", media.to_str().context("media path")?)],
    )?;
    let photos: Vec<Vec<u8>> = (0..args.photos).map(|_| photo()).collect::<anyhow::Result<_>>()?;
    let sizes: Vec<String> = photos.iter().map(|p| format!("{:.1} MB", p.len() as f64 / 1_048_576.0)).collect();
    let http = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let base = server_base(&server);
    let login = http
        .post(format!("{base}/api/auth/login"))
        .header("Origin", &base)
        .form(&[("phone", "13856081167"), ("password", "gonghui-demo-2026")])
        .send()
        .await?;
    anyhow::ensure!(login.status().is_success(), "demo correspondent signs in: {}", login.status());
    let before = server.peak_memory_mib().context("VmHWM")?;
    let mut form = reqwest::multipart::Form::new().text("title", "比武现场");
    for (i, bytes) in photos.into_iter().enumerate() {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(format!("IMG_{i}.jpg")));
    }
    let started = std::time::Instant::now();
    let upload =
        http.post(format!("{base}/api/newsroom/assets/upload")).header("Origin", &base).multipart(form).send().await?;
    let upload_secs = started.elapsed().as_secs_f64();
    let status = upload.status();
    let answer = upload.text().await?;
    anyhow::ensure!(status.is_success(), "upload: {status} {answer}");
    let library: serde_json::Value =
        http.get(format!("{base}/api/newsroom/assets")).header("Origin", &base).send().await?.json().await?;
    let ids: Vec<String> = library
        .as_array()
        .context("the library")?
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .take(args.photos)
        .map(|id| id.to_string())
        .collect();
    let mut story = vec![
        ("title", "机械厂开展技能比武".to_owned()),
        ("body", "本周举办技能比武。".to_owned()),
        ("kind", "news".to_owned()),
        ("event_date", "2026-11-30".to_owned()),
    ];
    story.extend(ids.iter().map(|id| ("assets[]", id.clone())));
    let submit =
        http.post(format!("{base}/api/newsroom/stories/submit")).header("Origin", &base).form(&story).send().await?;
    anyhow::ensure!(submit.status().is_success(), "submit: {}", submit.status());
    let after = server.peak_memory_mib().context("VmHWM")?;
    println!("| photos | sizes | upload (3 photos, one post) | peak RSS before | peak RSS after | budget |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {upload_secs:.1} s | {before:.0} MiB | {after:.0} MiB | 300 MB: {} |",
        args.photos,
        sizes.join(", "),
        if after < 286.0 { "within" } else { "OVER" }
    );
    Ok(())
}

fn server_base(server: &crate::Server) -> String {
    server.base.clone()
}
