//! The township office's web app (`office.html`): installs the panic hook and mounts it.

#[cfg(target_arch = "wasm32")]
fn main() {
    ruhu::ui::start_office();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ruhu-office 是网页应用（乡镇汇总），由 `./x.sh build` 构建（见 README）。命令行工具是 `ruhu`。");
}
