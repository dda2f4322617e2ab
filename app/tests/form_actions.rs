//! Every form names the server function it posts to (`forms::action::<F>()`,
//! or a component prop filled that way), never an address typed by hand: a
//! literal `action="/…"` could point at a page that takes no POST, or at a
//! write with no `/api` twin. `server/tests/http/form_actions.rs` walks the
//! rendered pages for the same rule; this catches forms no walk reaches.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn no_form_posts_to_an_address_written_by_hand() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut forms = 0;
    let mut offences = Vec::new();
    for (name, text) in &files {
        let text: String =
            text.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        for (at, _) in text.match_indices("<form ") {
            let tag: String = text[at..].chars().take_while(|c| *c != '>').collect();
            if !tag.contains(r#"method="post""#) {
                continue;
            }
            forms += 1;
            let typed = tag.contains("action={action::<")
                || tag.contains("action=action ")
                || tag.contains("action=send_action")
                || tag.contains("action=final_action");
            if !typed || tag.contains("formaction=\"") {
                offences.push(format!("{name}: {tag}"));
            }
        }
    }
    assert!(forms >= 25, "found the app's forms ({forms})");
    assert!(offences.is_empty(), "forms with a hand-written address:\n{}", offences.join("\n"));
}
