//! The township office's roster page (`roster.html`, 花名册核对): installs the panic hook and
//! mounts it. Built with the app's feature `roster` (the core's `.xlsx`/`.xls` and GBK reader),
//! which no other page's bundle has (`ruhu::ui::roster`'s docs).

#[cfg(target_arch = "wasm32")]
fn main() {
    ruhu::ui::start_roster();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ruhu-roster 是网页应用（花名册核对），由 `./x.sh build` 构建（见 README）。命令行工具是 `ruhu roster` / `ruhu reconcile`。");
}
