//! The web app's entry point: installs the panic hook and mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    ruhu::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ruhu-app 是网页应用，请用 `trunk serve` 构建（见 README）。命令行工具是 `ruhu`。");
}
