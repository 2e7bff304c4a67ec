// A camera-like photo for the photo spec and bench (issue 15): generated in the page, with GPS EXIF.
import assert from 'node:assert/strict';

/**
 * A 4000×3000 JPEG made in the page (noise and gradients, so it is as large as a camera's),
 * with an APP1 EXIF segment written by hand after SOI: IFD0 with Make and a GPS IFD pointer,
 * the GPS IFD with latitude 48°28'N, longitude 124°30'E; with `orientation` (EXIF 1–8) also
 * that tag, as phones write a portrait photo (6: the stored landscape pixels turned 90°
 * clockwise to show); with `detail`, a scene detailed enough to be over 400 KB at quality 0.8
 * once reduced. Gives the bytes (a Buffer).
 */
export async function cameraJpeg(page, { orientation = 0, detail = false } = {}) {
  const b64 = await page.evaluate(async ([orientation, detail]) => {
    const c = new OffscreenCanvas(4000, 3000);
    const g = c.getContext('2d');
    const grad = g.createLinearGradient(0, 0, 4000, 3000);
    grad.addColorStop(0, '#3a6'); grad.addColorStop(1, '#c84');
    g.fillStyle = grad; g.fillRect(0, 0, 4000, 3000);
    const img = g.getImageData(0, 0, 4000, 3000);
    let s = 7;
    if (detail) {
      // A detailed scene: strong noise in 3×3 blocks, which survives the 2.5× reduction
      // (per-pixel noise is averaged away): about 520 KB at quality 0.8, 390 KB at 0.7.
      for (let i = 0; i < img.data.length; i += 4) {
        const px = (i / 4) % 4000, py = Math.floor(i / 16000);
        s = Math.imul(Math.floor(py / 3) * 1334 + Math.floor(px / 3) + 1, 2654435761) & 0x7fffffff;
        for (let k = 0; k < 3; k++) {
          s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
          img.data[i + k] += ((s >> 16) % 96) - 48;
        }
      }
    } else {
      for (let i = 0; i < img.data.length; i += 4) {
        s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
        const n = ((s >> 16) % 24) - 12;
        img.data[i] += n; img.data[i + 1] += n; img.data[i + 2] -= n;
      }
    }
    g.putImageData(img, 0, 0);
    g.fillStyle = '#000'; g.font = '200px sans-serif'; g.fillText('危房 正面', 400, 800);
    const jpeg = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
    // TIFF, little-endian. IFD0 at 8: 2 entries (Make, GPS IFD pointer).
    const t = [];
    const u16 = (v) => t.push(v & 255, v >> 8);
    const u32 = (v) => t.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24);
    t.push(0x49, 0x49); u16(42); u32(8);
    const entries = orientation ? 3 : 2;
    const gpsAt = 8 + 2 + entries * 12 + 4; // after IFD0
    const makeAt = gpsAt + 2 + 4 * 12 + 4; // after the GPS IFD
    const ratAt = makeAt + 8; // "ruhucam\0", then 6 rationals
    u16(entries);
    u16(0x010f); u16(2); u32(8); u32(makeAt); // Make
    if (orientation) { u16(0x0112); u16(3); u32(1); u16(orientation); u16(0); } // Orientation
    u16(0x8825); u16(4); u32(1); u32(gpsAt); // GPSInfo
    u32(0);
    u16(4);
    u16(1); u16(2); u32(2); t.push(0x4e, 0, 0, 0); // GPSLatitudeRef "N"
    u16(2); u16(5); u32(3); u32(ratAt); // GPSLatitude
    u16(3); u16(2); u32(2); t.push(0x45, 0, 0, 0); // GPSLongitudeRef "E"
    u16(4); u16(5); u32(3); u32(ratAt + 24); // GPSLongitude
    u32(0);
    for (const ch of 'ruhucam\0') t.push(ch.charCodeAt(0));
    for (const [n, d] of [[48, 1], [28, 1], [4800, 100], [124, 1], [30, 1], [0, 1]]) { u32(n); u32(d); }
    const body = [...new TextEncoder().encode('Exif\0\0'), ...t];
    const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];
    const out = new Uint8Array(jpeg.length + app1.length);
    out.set(jpeg.subarray(0, 2), 0);
    out.set(app1, 2);
    out.set(jpeg.subarray(2), 2 + app1.length);
    let bin = '';
    for (let i = 0; i < out.length; i += 0x8000) bin += String.fromCharCode(...out.subarray(i, i + 0x8000));
    return btoa(bin);
  }, [orientation, detail]);
  return Buffer.from(b64, 'base64');
}

/** The JPEG's segments before the scan: `{ markers: [0xE0, …], width, height }`. */
export function jpegInfo(bytes) {
  assert.equal(bytes[0], 0xff); assert.equal(bytes[1], 0xd8, 'a JPEG');
  const markers = [];
  let at = 2, width = 0, height = 0;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const m = bytes[at + 1];
    const len = (bytes[at + 2] << 8) | bytes[at + 3];
    markers.push(m);
    if (m >= 0xc0 && m <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(m)) {
      height = (bytes[at + 5] << 8) | bytes[at + 6];
      width = (bytes[at + 7] << 8) | bytes[at + 8];
    }
    if (m === 0xda) break;
    at += 2 + len;
  }
  return { markers, width, height };
}

