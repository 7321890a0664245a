//! Colours: a dark and a light palette, in truecolor or mapped to the 256-colour palette.

use ratatui::style::{Color, Modifier, Style};

use crate::deck::ThemeName;
use crate::deck::block::{Rgb, RunStyle};

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    TrueColor,
    Ansi256,
}

impl ColorDepth {
    /// Truecolor only when the terminal announces it (COLORTERM), as tmux and others often do not.
    pub fn detect() -> Self {
        match std::env::var("COLORTERM") {
            Ok(v) if v.eq_ignore_ascii_case("truecolor") || v.eq_ignore_ascii_case("24bit") => ColorDepth::TrueColor,
            _ => ColorDepth::Ansi256,
        }
    }
}

/// The palette every draw function reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: ThemeName,
    pub depth: ColorDepth,
    pub bg: Rgb,
    pub fg: Rgb,
    pub dim: Rgb,
    pub title: Rgb,
    pub heading: Rgb,
    pub accent: Rgb,
    pub code_fg: Rgb,
    pub code_bg: Rgb,
    pub link: Rgb,
    pub quote: Rgb,
    pub border: Rgb,
    pub panel_bg: Rgb,
    pub selection_bg: Rgb,
    pub good: Rgb,
    pub bad: Rgb,
    pub warn: Rgb,
    pub x86: Rgb,
    pub arm: Rgb,
    /// Removed and added lines of a diff, and the changed words inside them.
    pub del_bg: Rgb,
    pub del_emph: Rgb,
    pub add_bg: Rgb,
    pub add_emph: Rgb,
}

impl Theme {
    pub fn new(name: ThemeName, depth: ColorDepth) -> Self {
        match name {
            ThemeName::Dark => Theme {
                name,
                depth,
                bg: (24, 26, 33),
                fg: (220, 223, 228),
                dim: (128, 134, 148),
                title: (255, 153, 0),
                heading: (97, 175, 239),
                accent: (255, 153, 0),
                code_fg: (229, 192, 123),
                code_bg: (40, 44, 52),
                link: (86, 182, 194),
                quote: (198, 120, 221),
                border: (76, 82, 99),
                panel_bg: (32, 35, 44),
                selection_bg: (62, 68, 81),
                good: (152, 195, 121),
                bad: (224, 108, 117),
                warn: (229, 192, 123),
                x86: (97, 175, 239),
                arm: (255, 153, 0),
                del_bg: (62, 34, 40),
                del_emph: (120, 44, 56),
                add_bg: (31, 58, 38),
                add_emph: (44, 104, 56),
            },
            ThemeName::Light => Theme {
                name,
                depth,
                bg: (250, 250, 250),
                fg: (56, 58, 66),
                dim: (120, 124, 134),
                title: (196, 98, 0),
                heading: (1, 132, 188),
                accent: (196, 98, 0),
                code_fg: (152, 104, 1),
                code_bg: (240, 240, 241),
                link: (1, 132, 188),
                quote: (166, 38, 164),
                border: (190, 192, 198),
                panel_bg: (243, 243, 245),
                selection_bg: (220, 224, 232),
                good: (80, 161, 79),
                bad: (228, 86, 73),
                warn: (193, 132, 1),
                x86: (1, 132, 188),
                arm: (196, 98, 0),
                del_bg: (255, 232, 232),
                del_emph: (255, 188, 188),
                add_bg: (228, 252, 230),
                add_emph: (170, 236, 178),
            },
        }
    }

    /// A colour at the terminal's depth.
    pub fn color(&self, rgb: Rgb) -> Color {
        match self.depth {
            ColorDepth::TrueColor => Color::Rgb(rgb.0, rgb.1, rgb.2),
            ColorDepth::Ansi256 => Color::Indexed(to_ansi256(rgb)),
        }
    }

    /// Foreground `fg` on the slide background.
    pub fn fg(&self, fg: Rgb) -> Style {
        Style::new().fg(self.color(fg)).bg(self.color(self.bg))
    }

    pub fn base(&self) -> Style {
        self.fg(self.fg)
    }

    /// The style of an inline run of slide text.
    pub fn run(&self, base: Style, r: RunStyle) -> Style {
        let mut s = base;
        if r.code {
            s = s.fg(self.color(self.code_fg)).bg(self.color(self.code_bg));
        }
        if r.link {
            s = s.fg(self.color(self.link)).add_modifier(Modifier::UNDERLINED);
        }
        if r.dim {
            s = s.fg(self.color(self.dim));
        }
        if r.bold {
            s = s.add_modifier(Modifier::BOLD);
        }
        if r.italic {
            s = s.add_modifier(Modifier::ITALIC);
        }
        if r.strike {
            s = s.add_modifier(Modifier::CROSSED_OUT);
        }
        s
    }
}

/// The nearest xterm 256-colour index: the 6×6×6 cube or the 24-step grey ramp.
pub fn to_ansi256((r, g, b): Rgb) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let nearest_level = |v: u8| (0..6).min_by_key(|&i| (i32::from(LEVELS[i]) - i32::from(v)).abs()).unwrap_or(0);
    let (ri, gi, bi) = (nearest_level(r), nearest_level(g), nearest_level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey_index = ((avg.saturating_sub(8) + 5) / 10).min(23) as u8;
    let grey_level = 8 + 10 * grey_index;
    let dist = |(a, b2, c): Rgb| {
        let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).pow(2);
        d(a, r) + d(b2, g) + d(c, b)
    };
    if dist((grey_level, grey_level, grey_level)) < dist(cube) {
        232 + grey_index
    } else {
        16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi256_mapping_hits_exact_palette_entries() {
        assert_eq!(to_ansi256((0, 0, 0)), 16);
        assert_eq!(to_ansi256((255, 255, 255)), 231);
        assert_eq!(to_ansi256((255, 0, 0)), 196);
        assert_eq!(to_ansi256((95, 135, 175)), 67);
        assert_eq!(to_ansi256((128, 128, 128)), 244);
        assert_eq!(to_ansi256((24, 26, 33)), 234);
    }

    #[test]
    fn depth_decides_the_colour_kind() {
        let t = Theme::new(ThemeName::Dark, ColorDepth::TrueColor);
        assert_eq!(t.color((1, 2, 3)), Color::Rgb(1, 2, 3));
        let t = Theme::new(ThemeName::Dark, ColorDepth::Ansi256);
        assert!(matches!(t.color((1, 2, 3)), Color::Indexed(_)));
    }
}
