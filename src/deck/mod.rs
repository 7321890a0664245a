//! The deck: slides and scenario catalog, parsed and validated once. No terminal, no I/O beyond
//! reading the deck's files.

pub mod block;
pub mod config;
pub mod diff;
mod error;
mod highlight;
pub mod markdown;
pub mod pane;
pub mod source;
pub mod split;

pub use block::Block;
pub use config::{DeckMeta, ThemeName};
pub use error::{DeckError, LineIndex, toml_error};
pub use source::{DeckFiles, DeckSource};

use crate::builds::catalog::Catalog;

/// One slide.
#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    /// The file it comes from, as shown in errors.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
    pub title: String,
    pub section: Option<String>,
    pub center: bool,
    pub blocks: Vec<Block>,
    pub notes: String,
}

impl Slide {
    /// The slide's panes in reading order (also those nested in lists and quotes).
    pub fn panes(&self) -> Vec<&pane::PaneSpec> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a pane::PaneSpec>) {
            for b in blocks {
                match b {
                    Block::Pane(p) => out.push(p),
                    Block::Quote(inner) => walk(inner, out),
                    Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }

    /// How many key presses reveal the whole slide (1 + its pauses).
    pub fn steps(&self) -> usize {
        1 + self.blocks.iter().filter(|b| matches!(b, Block::Pause)).count()
    }
}

/// A parsed, validated deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    pub meta: DeckMeta,
    pub catalog: Catalog,
    pub slides: Vec<Slide>,
}

/// Reads and parses a deck. `theme` overrides the deck's own theme.
pub fn load(source: &DeckSource, theme: Option<ThemeName>) -> Result<Deck, DeckError> {
    parse(&source.read()?, theme)
}

/// Loads and checks a deck like [`load`], with code in one colour: it skips loading the
/// syntaxes (most of a load's time), so the first frame comes sooner; the highlighted deck
/// follows from [`load`].
pub fn load_plain(source: &DeckSource, theme: Option<ThemeName>) -> Result<Deck, DeckError> {
    parse_styled(&source.read()?, theme, true)
}

/// Parses a deck's files.
pub fn parse(files: &DeckFiles, theme: Option<ThemeName>) -> Result<Deck, DeckError> {
    parse_styled(files, theme, false)
}

fn parse_styled(files: &DeckFiles, theme: Option<ThemeName>, plain: bool) -> Result<Deck, DeckError> {
    let (meta, catalog) = config::parse(&files.config, &files.root)?;
    let theme = theme.unwrap_or(meta.theme);
    let mut slides = Vec::new();
    for file in &files.slides {
        let split = split::split(&file.name, &file.text)?;
        for chunk in &split.chunks {
            let ctx = markdown::Context { file: &file.name, catalog: &catalog, root: &files.root, theme, plain };
            let parsed = markdown::parse(chunk, &ctx)?;
            let number = slides.len() + 1;
            slides.push(Slide {
                file: file.name.clone(),
                line: chunk.first_line,
                title: parsed.title.unwrap_or_else(|| format!("Slide {number}")),
                section: split.front.section.clone(),
                center: split.front.center,
                blocks: parsed.blocks,
                notes: parsed.notes,
            });
        }
    }
    if slides.is_empty() {
        return Err(DeckError::new(
            &files.config.name,
            1,
            1,
            "the deck has no slides; expected at least one *.md file with content beside deck.toml",
        ));
    }
    Ok(Deck { meta: DeckMeta { theme, ..meta }, catalog, slides })
}

#[cfg(test)]
mod tests {
    use super::*;
    use source::{DeckFile, ProjectRoot};

    fn files(slides: &[(&str, &str)]) -> DeckFiles {
        DeckFiles {
            config: DeckFile { name: "d/deck.toml".into(), text: "title = \"T\"\n".into() },
            root: ProjectRoot::None,
            slides: slides.iter().map(|(n, t)| DeckFile { name: n.to_string(), text: t.to_string() }).collect(),
        }
    }

    #[test]
    fn the_quick_load_is_the_same_deck_with_code_in_one_colour() {
        let quick = load_plain(&DeckSource::Bundled, None).unwrap();
        let full = load(&DeckSource::Bundled, None).unwrap();
        assert_eq!(quick.slides.len(), full.slides.len());
        assert_eq!(quick.catalog, full.catalog);
        let colours = |deck: &Deck| -> std::collections::BTreeSet<block::Rgb> {
            deck.slides
                .iter()
                .flat_map(|s| &s.blocks)
                .filter_map(|b| if let block::Block::Code(c) = b { Some(c) } else { None })
                .flat_map(|c| c.lines.iter().flatten().map(|span| span.fg))
                .collect()
        };
        assert_eq!(colours(&quick).len(), 1, "one colour before highlighting");
        assert!(colours(&full).len() > 1, "highlighted after: {:?}", colours(&full));
        for (q, f) in quick.slides.iter().zip(&full.slides) {
            assert_eq!((&q.title, q.steps(), q.panes().len()), (&f.title, f.steps(), f.panes().len()));
        }
    }

    #[test]
    fn bundled_deck_loads() {
        let deck = load(&DeckSource::Bundled, None).unwrap();
        assert_eq!(deck.slides.len(), 15);
        assert!(deck.slides.iter().all(|s| !s.notes.is_empty()), "every slide has notes");
    }

    #[test]
    fn slides_keep_file_order_lines_and_front_matter() {
        let d = parse(
            &files(&[("a.md", "+++\nsection = \"S\"\n+++\n# One\n\n---\n\n# Two\n"), ("b.md", "# Three\n")]),
            None,
        )
        .unwrap();
        let titles: Vec<_> = d.slides.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two", "Three"]);
        assert_eq!(d.slides[1].line, 7);
        assert_eq!(d.slides[1].section.as_deref(), Some("S"));
        assert_eq!(d.slides[2].section, None);
    }

    #[test]
    fn empty_deck_is_an_error() {
        let err = parse(&files(&[("a.md", "\n\n")]), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "d/deck.toml:1:1: the deck has no slides; expected at least one *.md file with content beside deck.toml"
        );
    }

    #[test]
    fn steps_count_pauses() {
        let d = parse(&files(&[("a.md", "# A\n\nx\n\n<!-- pause -->\n\ny\n\n<!-- pause -->\n\nz\n")]), None).unwrap();
        assert_eq!(d.slides[0].steps(), 3);
    }

    #[test]
    fn theme_override_wins() {
        let d = parse(&files(&[("a.md", "# A\n")]), Some(ThemeName::Light)).unwrap();
        assert_eq!(d.meta.theme, ThemeName::Light);
    }
}
