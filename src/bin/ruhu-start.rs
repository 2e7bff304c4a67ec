//! The start page (`index.html`): what a surveyor's phone loads first — the home list from its
//! snapshot; everything else is the full app (`app.html`, bin `ruhu-app`). See `ui::start`.

#[cfg(target_arch = "wasm32")]
fn main() {
    ruhu::ui::start_page();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "ruhu-start 是网页应用的起始页，由 `./x.sh build` 构建（见 README）。命令行工具是 `ruhu`。"
    );
}
