//! Leptos 0.8 renders the children of `<textarea>`, `<script>`, `<style>`
//! and `<noscript>` without escaping them, so a view that writes a value
//! there hands the value's markup to the browser (issue 10: script injection
//! through the units import preview, the nomination story, the campaign
//! description and the review reason). Our views never write these elements
//! themselves but through `forms::TextArea`; the one inline script is the
//! hydration loader in `lib.rs`, whose text comes from the configuration
//! and which carries the CSP nonce. This test reads every view's source and
//! fails on any other use; `server/tests/raw_text.rs` renders the forms with
//! hostile values to show the component holds.

use std::path::Path;

/// (file, element, how many times it may appear there).
/// `partner.rs` and `door.rs` load the scanner (`<script src="/scanner.js">`, no children:
/// nothing of a value is written inside it).
const ALLOWED: &[(&str, &str, usize)] =
    &[("forms.rs", "<textarea", 1), ("lib.rs", "<script", 1), ("partner.rs", "<script", 1), ("door.rs", "<script", 1)];
const RAW_TEXT_ELEMENTS: &[&str] = &["<textarea", "<script", "<style", "<noscript"];

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn no_view_writes_a_raw_text_element_but_the_textarea_component_and_the_hydration_script() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 10, "found the app's sources");
    let mut offences = Vec::new();
    for (name, text) in &files {
        // Tests inside the sources (sanitiser examples) are not views.
        let views: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for element in RAW_TEXT_ELEMENTS {
            let found = views.matches(element).count();
            let allowed = ALLOWED.iter().find(|(f, e, _)| f == name && e == element).map_or(0, |(_, _, n)| *n);
            if found > allowed {
                offences.push(format!("{name}: {element} ×{found} (allowed {allowed}); use forms::TextArea"));
            }
        }
    }
    assert!(offences.is_empty(), "raw-text elements written directly:\n{}", offences.join("\n"));
}
