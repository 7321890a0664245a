//! Every bundled slide, as the audience sees it, at 80×24 and 160×45. Reviewed with
//! `cargo insta review`; a change in rendering shows up here as a diff.

mod common;

use arm64_demo::app::Overlay;
use arm64_demo::deck::ThemeName;
use common::{app_on, bundled, screen};

fn snapshot_all(w: u16, h: u16) {
    let deck = bundled();
    for i in 0..deck.slides.len() {
        let mut app = app_on(deck.clone(), i);
        let text = screen(&mut app, ThemeName::Dark, w, h);
        insta::assert_snapshot!(format!("slide_{:02}_{w}x{h}", i + 1), text);
    }
}

#[test]
fn every_slide_at_80x24() {
    snapshot_all(80, 24);
}

#[test]
fn every_slide_at_160x45() {
    snapshot_all(160, 45);
}

#[test]
fn overlays_at_100x30() {
    let deck = bundled();
    let mut app = app_on(deck.clone(), 0);
    app.overlay = Overlay::Help;
    insta::assert_snapshot!("help_100x30", screen(&mut app, ThemeName::Dark, 100, 30));
    let mut app = app_on(deck.clone(), 4);
    app.overlay = Overlay::Overview { selected: 6 };
    insta::assert_snapshot!("overview_100x30", screen(&mut app, ThemeName::Dark, 100, 30));
    let mut app = app_on(deck, 2);
    app.notes_visible = true;
    insta::assert_snapshot!("notes_strip_100x30", screen(&mut app, ThemeName::Light, 100, 30));
}

/// The slide holding the Python diff pane.
fn python_diff_slide() -> usize {
    let deck = bundled();
    deck.slides
        .iter()
        .position(|s| s.panes().iter().any(|p| p.files.as_ref().is_some_and(|f| f.0.contains("python_issues"))))
        .unwrap()
}

#[test]
fn diff_pane_layouts() {
    let deck = bundled();
    let slide = python_diff_slide();
    let mut app = app_on(deck.clone(), slide);
    insta::assert_snapshot!("diff_side_by_side_160x45", screen(&mut app, ThemeName::Dark, 160, 45));
    let mut app = app_on(deck.clone(), slide);
    insta::assert_snapshot!("diff_unified_80x24", screen(&mut app, ThemeName::Dark, 80, 24));
    let mut app = app_on(deck, slide);
    app.focus = Some(0);
    insta::assert_snapshot!("diff_narrow_focused_44x30", screen(&mut app, ThemeName::Dark, 44, 30));
}
