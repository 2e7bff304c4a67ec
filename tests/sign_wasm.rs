//! Signatures in the browser (issue 15): re-signing replaces that role's signature (and for a
//! 研判人, that signer's), the lines of the form and the print (at least two 研判人, a signer
//! no longer listed kept, 户主), 签字后有修改 after a change, the SVG cropped to the strokes,
//! and a `data` that is not base64 is never put into an image URL.
//! Run: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test sign_wasm`
#![cfg(target_arch = "wasm32")]

use ruhu::core::evidence::{signature_svg, Stroke};
use ruhu::core::record::{Attachment, AttachmentKind, Household, SignRole};
use ruhu::core::testkit;
use ruhu::ui::evidence::signature_pad::put_signature;
use ruhu::ui::evidence::signatures::{image_src, lines};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const AT: &str = "2023-02-20T10:00:00+08:00";

fn household() -> Household {
    testkit::household()
        .head(2, "张伟")
        .with(|h| {
            h.visit.surveyor = "孟庆春".into();
            h.visit.assessors = vec!["吴海涛".into()];
        })
        .build()
}

fn svg() -> String {
    signature_svg(&[Stroke { points: vec![(10.0, 10.0), (30.0, 40.0), (60.0, 20.0)] }], 300, 200)
}

fn signatures(h: &Household) -> Vec<&Attachment> {
    h.attachments.iter().filter(|a| a.kind == Some(AttachmentKind::Signature)).collect()
}

#[wasm_bindgen_test]
fn signing_again_replaces_that_roles_signature() {
    let mut h = household();
    let first = put_signature(&mut h, SignRole::Surveyor, "孟庆春", &svg(), AT.into());
    let wu = put_signature(&mut h, SignRole::Assessor, "吴海涛", &svg(), AT.into());
    let li = put_signature(&mut h, SignRole::Assessor, "李明", &svg(), AT.into());
    assert_eq!(signatures(&h).len(), 3);
    // The surveyor signs again (even under another name): one surveyor signature, in its place.
    let again = put_signature(&mut h, SignRole::Surveyor, "孟春", &svg(), AT.into());
    let ids: Vec<_> = signatures(&h).iter().map(|a| a.id).collect();
    assert_eq!(ids, vec![again, wu, li]);
    assert_ne!(again, first);
    // One assessor signing again leaves the other's.
    let wu2 = put_signature(&mut h, SignRole::Assessor, "吴海涛", &svg(), AT.into());
    let ids: Vec<_> = signatures(&h).iter().map(|a| a.id).collect();
    assert_eq!(ids, vec![again, wu2, li]);
    let a = signatures(&h)[1].clone();
    assert_eq!(
        (a.role, a.signer.as_str(), a.mime.as_str()),
        (Some(SignRole::Assessor), "吴海涛", "image/svg+xml")
    );
    assert_eq!(a.taken_at.as_deref(), Some(AT));
    assert_eq!(a.signed_digest.len(), 64);
}

#[wasm_bindgen_test]
fn lines_of_the_form_and_the_print() {
    let mut h = household();
    let l = lines(&h);
    let roles: Vec<_> = l.iter().map(|l| (l.role, l.name.as_str(), l.signed.is_some())).collect();
    assert_eq!(
        roles,
        vec![
            (SignRole::Surveyor, "孟庆春", false),
            (SignRole::Assessor, "吴海涛", false),
            (SignRole::Assessor, "", false),
            (SignRole::Head, "张伟", false),
        ],
        "at least two 研判人 lines"
    );
    put_signature(&mut h, SignRole::Assessor, "吴海涛", &svg(), AT.into());
    put_signature(&mut h, SignRole::Assessor, "李明", &svg(), AT.into());
    let l = lines(&h);
    let wu = l.iter().find(|l| l.name == "吴海涛").unwrap();
    let src = wu.signed.as_ref().unwrap().src.clone().unwrap();
    assert!(src.starts_with("data:image/svg+xml;base64,PHN2Zy"), "{src}");
    assert!(!wu.orphan);
    let li = l.iter().find(|l| l.name == "李明").unwrap();
    assert!(li.orphan, "a signer no longer among the 研判人 stays listed");
    assert!(l.iter().all(|l| l.signed.as_ref().is_none_or(|s| !s.stale)));

    // A change after signing: 签字后有修改; signing again clears it.
    h.phone = "13900000001".into();
    let stale = |h: &Household, name: &str| {
        lines(h).into_iter().find(|l| l.name == name).and_then(|l| l.signed).unwrap().stale
    };
    assert!(stale(&h, "吴海涛"));
    put_signature(&mut h, SignRole::Assessor, "吴海涛", &svg(), AT.into());
    assert!(!stale(&h, "吴海涛"));
    assert!(stale(&h, "李明"));
}

#[wasm_bindgen_test]
fn only_base64_svg_becomes_an_image_url() {
    let mut h = household();
    put_signature(&mut h, SignRole::Head, "张伟", &svg(), AT.into());
    let mut a = h.attachments[0].clone();
    assert!(image_src(&a).is_some());
    a.data = "\"><script>alert(1)</script>".into();
    assert_eq!(image_src(&a), None);
    a.data = "PHN2Zz4=".into();
    a.mime = "image/png".into();
    assert_eq!(image_src(&a), None);
}

#[wasm_bindgen_test]
fn the_svg_is_the_box_around_the_strokes() {
    use ruhu::ui::evidence::signature_pad::cropped;
    let strokes = [
        Stroke { points: vec![(100.0, 50.0), (150.0, 80.0)] },
        Stroke { points: vec![(120.0, 60.0)] },
    ];
    let (moved, w, h) = cropped(&strokes);
    assert_eq!((w, h), (58, 38));
    assert_eq!(moved[0].points, vec![(4.0, 4.0), (54.0, 34.0)]);
    assert_eq!(moved[1].points, vec![(24.0, 14.0)]);
    assert_eq!(cropped(&[]).1, 1);
    assert!(signature_svg(&moved, w, h).contains("viewBox=\"0 0 58 38\""));
}
