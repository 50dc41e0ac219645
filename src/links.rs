//! What a page's Markdown links to, as recorded while rendering: each link and image with its
//! kind and span, and the `@/` links whose anchors are checked once every page is rendered.

use std::collections::HashSet;
use std::ops::Range;

/// What the destination of a Markdown link or image names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `@/page.md` or `@/page.md#anchor`: another page of the site, by its source path.
    Page,
    /// `@/diagram.png`: a file copied from `content/`, by its source path.
    File,
    /// `#anchor`: a place on the same page.
    Anchor,
    /// A URL with a scheme (`https:`, `mailto:`) or a host (`//cdn.org/`).
    External,
    /// A path, relative to the page or absolute.
    Relative,
}

impl LinkKind {
    /// The kind of `destination`, in a link or an image; `copied` holds the files of
    /// `content/` a `@/` link may name besides pages.
    pub(super) fn of(destination: &str, image: bool, copied: &HashSet<String>) -> LinkKind {
        let scheme = destination
            .split_once(':')
            .map(|(scheme, _)| scheme)
            .filter(|scheme| {
                scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            });
        if let Some(internal) = destination.strip_prefix("@/") {
            let file = internal.split('#').next().unwrap_or_default();
            if image || copied.contains(file) {
                LinkKind::File
            } else {
                LinkKind::Page
            }
        } else if destination.starts_with('#') {
            LinkKind::Anchor
        } else if scheme.is_some() || destination.starts_with("//") {
            LinkKind::External
        } else {
            LinkKind::Relative
        }
    }
}

/// What a page's Markdown writes that points elsewhere, recorded while rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WrittenLinks {
    /// Every link and image, in order.
    pub links: Vec<WrittenLink>,
    /// The spans of raw HTML in the page's file, whose own links Markdown does not parse.
    pub raw_html: Vec<Range<usize>>,
}

/// A link or image as the page's Markdown wrote it, recorded while rendering so that later
/// checks can point at it without reading the Markdown again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenLink {
    pub kind: LinkKind,
    /// The destination as written: `@/stream/cap.md#who`, `../map.png`.
    pub target: String,
    /// The destination as rendered into the HTML's `href` or `src`.
    pub rendered: String,
    /// The destination in the page's file, or the whole element when the destination is
    /// written elsewhere (a reference-style link's definition).
    pub span: Range<usize>,
    /// The whole link or image element in the page's file.
    pub element: Range<usize>,
    pub image: bool,
    /// For an image: whether its alt text is empty.
    pub without_alt: bool,
}

/// A resolved `@/page.md#anchor` link, kept so the anchor can be checked once every page is
/// rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct InternalLink {
    /// Source path of the target page, in the linking page's language.
    pub target: String,
    /// The link as written (`@/page.md#anchor`), which may name the target in another
    /// language: `@/stream/family.md` in a French page leads to `stream/family.fr.md`.
    pub written: String,
    /// The Markdown element holding the link, in this page's file: narrow it with
    /// [`InternalLink::locate`] only when reporting, as that search costs more than the link.
    pub within: Range<usize>,
}

impl InternalLink {
    /// The page as the link names it (`@/page.md`), and the anchor after its `#`.
    pub fn named_and_anchor(&self) -> (&str, &str) {
        self.written.split_once('#').unwrap_or((&self.written, ""))
    }

    /// The link's own text (`@/page.md#anchor`) inside `text`, the page's file.
    pub fn locate(&self, text: &str) -> Range<usize> {
        let found = text
            .get(self.within.clone())
            .and_then(|slice| slice.find(&self.written));
        found.map_or(self.within.clone(), |at| {
            let start = self.within.start + at;
            start..start + self.written.len()
        })
    }
}
