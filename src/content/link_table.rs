//! Where an `@/` link leads, by the language of the page that writes it, found with one lookup.
//!
//! [`Content::resolve`] answers the same question from the maps the content tree keeps:
//! the page a source path names, then, when that page is in another language, its
//! counterpart among the key's translations. Each step reads a [`Page`] somewhere in a large
//! vector, and a site's every page writes a few links: on a site of 20,000 pages, those
//! scattered reads were about 6% of a build. This table holds, for each language, each key
//! a link names with the URL path of the page it leads to, the two in one allocation.
//!
//! [`Page`]: super::Page

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashSet;

use super::Content;

/// By language (in the order of [`crate::config::Languages::codes`]), the page each key
/// leads to from a page in that language. A name it does not hold (a source path with a
/// language suffix, a copied file, a page that does not exist) is for [`Content::resolve`].
#[derive(Debug, Clone, Default)]
pub struct LinkTable {
    by_language: Vec<FxHashSet<Target>>,
}

/// A key and the URL path of the page it leads to, written one after the other.
#[derive(Debug, Clone)]
struct Target {
    key_then_path: Box<str>,
    key_length: u32,
    page: u32,
}

impl Target {
    fn key(&self) -> &str {
        &self.key_then_path[..self.key_length as usize]
    }

    fn path(&self) -> &str {
        &self.key_then_path[self.key_length as usize..]
    }
}

// Found by its key: hashed and compared as the key alone, as `Borrow` requires.
impl Borrow<str> for Target {
    fn borrow(&self) -> &str {
        self.key()
    }
}

impl Hash for Target {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialEq for Target {
    fn eq(&self, other: &Target) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Target {}

impl LinkTable {
    /// What [`Content::resolve`] gives each key from each language, where it gives a page.
    pub fn new(content: &Content) -> LinkTable {
        let by_language = content
            .languages
            .codes()
            .map(|code| {
                let mut targets = FxHashSet::default();
                targets.reserve(content.translations.len());
                for key in content.translations.keys() {
                    let Ok(Some(index)) = content.resolve(code, key) else {
                        continue;
                    };
                    let path = &content.pages[index].path;
                    targets.insert(Target {
                        key_then_path: format!("{key}{path}").into_boxed_str(),
                        key_length: key.len() as u32,
                        page: index as u32,
                    });
                }
                targets
            })
            .collect();
        LinkTable { by_language }
    }

    /// The page `name` leads to from a page in language `language` (its position), and that
    /// page's URL path, when the table holds it.
    pub fn find(&self, language: usize, name: &str) -> Option<(usize, &str)> {
        let target = self.by_language.get(language)?.get(name)?;
        Some((target.page as usize, target.path()))
    }
}

#[cfg(test)]
mod tests {
    use crate::site::Site;
    use crate::BuildOptions;

    fn bilingual_site() -> (tempfile::TempDir, Site) {
        let temp = tempfile::tempdir().unwrap();
        let page = |title: &str, front: &str| format!("+++\ntitle = \"{title}\"\n{front}+++\n");
        for (path, text) in [
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n\
                 [languages.fr]\ntitle = \"T\"\n"
                    .to_string(),
            ),
            ("content/_index.md", page("Home", "")),
            ("content/_index.fr.md", page("Accueil", "")),
            ("content/stream/_index.md", page("Stream", "")),
            (
                "content/stream/_index.fr.md",
                page("Volet", "slug = \"volet\"\n"),
            ),
            ("content/stream/family.md", page("Family", "")),
            (
                "content/stream/family.fr.md",
                page("Famille", "slug = \"famille\"\n"),
            ),
            ("content/only-english.md", page("English", "")),
            ("content/only-french.fr.md", page("Français", "")),
            ("themes/t/templates/page.html", "{{ page.content }}".into()),
            (
                "themes/t/templates/section.html",
                "{{ section.content }}".into(),
            ),
        ] {
            let path = temp.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let site = match Site::load(&BuildOptions::new(temp.path())) {
            Ok(site) => site,
            Err(diagnostics) => panic!("{}", diagnostics.render()),
        };
        (temp, site)
    }

    #[test]
    fn a_key_leads_to_its_page_in_the_linking_pages_language() {
        let (_temp, site) = bilingual_site();
        let found = |language, name| {
            site.content
                .link_target(language, name)
                .map(|(_, path)| path)
        };
        assert_eq!(found(0, "stream/family.md"), Some("stream/family/"));
        assert_eq!(found(1, "stream/family.md"), Some("fr/volet/famille/"));
        assert_eq!(found(1, "stream/_index.md"), Some("fr/volet/"));
        assert_eq!(found(0, "only-english.md"), Some("only-english/"));
        // No counterpart in French, and no page at all: both for `Content::resolve`, which
        // says why.
        assert_eq!(found(1, "only-english.md"), None);
        assert_eq!(found(0, "missing.md"), None);
    }

    #[test]
    fn every_name_the_table_holds_leads_where_resolve_does() {
        let (_temp, site) = bilingual_site();
        let content = &site.content;
        let mut names: Vec<&String> = content
            .by_source
            .keys()
            .chain(content.translations.keys())
            .collect();
        names.sort();
        names.dedup();
        let mut held = 0;
        for (language, code) in content.languages.codes().enumerate() {
            for name in &names {
                if let Some((index, path)) = content.link_target(language, name) {
                    held += 1;
                    assert_eq!(
                        content.resolve(code, name),
                        Ok(Some(index)),
                        "{code} {name}"
                    );
                    assert_eq!(path, content.pages[index].path, "{code} {name}");
                }
            }
        }
        // Each language's keys that have a page in it: 4 in English, 4 in French.
        assert_eq!(held, 8);
    }
}
