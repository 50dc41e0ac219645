//! What a site publishes for machines: `sitemap.xml`, `robots.txt` and `atom.xml`, the Atom
//! feed of dated program updates (one per language: `fr/atom.xml` lists the French updates).
//!
//! These are the only files with absolute URLs (built from `base_url`), because crawlers and
//! feed readers fetch them alone, without a page to be relative to. Their content depends only
//! on the site's pages, so a build with the same input gives the same bytes. A file of the same
//! name in `static/` or the theme's `static/` replaces the generated one.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

use crate::content::Page;
use crate::output::{Output, OutputFile};
use crate::output_path::OutputPath;
use crate::site::Site;
use guide_rules::Date;

pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const FEED: &str = "atom.xml";

/// What a URL path may not hold as is (the path's `/` stays).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// The files of this module the site publishes: the sitemap, robots.txt and (when the site
/// has updates) the Atom feed, less those a file the author copies replaces (a robots.txt of
/// their own, say).
pub fn published(site: &Site) -> Vec<&'static str> {
    let copied = |path: &str| {
        let mut copies = site
            .theme
            .static_files
            .iter()
            .chain(&site.content.static_files);
        copies.any(|copy| copy.to == path)
    };
    let mut files = vec![SITEMAP, ROBOTS];
    files.extend(feed_path(site));
    files.retain(|path| !copied(path));
    files
}

/// The text of one of the [`published`] files.
pub fn text(site: &Site, file: &str) -> Option<String> {
    match file {
        SITEMAP => Some(sitemap(site)),
        ROBOTS => Some(robots(site)),
        FEED => atom(site, site.content.languages.default_code()),
        _ => None,
    }
}

/// Adds the [`published`] files.
pub fn add(site: &Site, output: &mut Output) {
    for file in published(site) {
        if let (Ok(path), Some(text)) = (OutputPath::new(file), text(site, file)) {
            output.insert(path, OutputFile::Bytes(text.into_bytes()));
        }
    }
    for (code, file) in language_feeds(site) {
        if let (Ok(path), Some(text)) = (OutputPath::new(&file), atom(site, code)) {
            output.insert(path, OutputFile::Bytes(text.into_bytes()));
        }
    }
}

/// The default language's feed's output path, for templates' `feed`: `None` when no page in
/// that language is an update.
pub fn feed_path(site: &Site) -> Option<&'static str> {
    let default = site.content.languages.default_code();
    has_updates(site, default).then_some(FEED)
}

/// Language `lang`'s feed's output path (`atom.xml`, `fr/atom.xml`): `None` without updates.
pub fn feed_path_in(site: &Site, lang: &str) -> Option<String> {
    has_updates(site, lang).then(|| format!("{}{FEED}", site.content.languages.prefix(lang)))
}

/// Each other language's feed, by its code, where it has updates, less those a copied file
/// replaces.
pub fn language_feeds(site: &Site) -> Vec<(&str, String)> {
    site.content
        .languages
        .others()
        .filter_map(|code| Some((code, feed_path_in(site, code)?)))
        .filter(|(_, path)| !is_copied(site, path))
        .collect()
}

/// Every feed's output path: what a page's change may add or remove.
pub fn feed_paths(site: &Site) -> Vec<String> {
    site.content
        .languages
        .codes()
        .filter_map(|code| feed_path_in(site, code))
        .collect()
}

fn has_updates(site: &Site, lang: &str) -> bool {
    site.content
        .pages
        .iter()
        .any(|page| page.lang == lang && is_update(page))
}

fn is_copied(site: &Site, path: &str) -> bool {
    let mut copies = site
        .theme
        .static_files
        .iter()
        .chain(&site.content.static_files);
    copies.any(|copy| copy.to == path)
}

/// A page's absolute URL.
pub fn page_url(site: &Site, page: &Page) -> String {
    format!(
        "{}{}",
        site.config.base_url,
        utf8_percent_encode(&page.path, PATH)
    )
}

fn listed(page: &Page) -> bool {
    !page.meta.draft
}

fn is_update(page: &Page) -> bool {
    listed(page) && page.meta.update && page.date().is_some()
}

/// The day a page last changed: `updated`, else `date`.
fn last_changed(page: &Page) -> Option<Date> {
    page.updated().or_else(|| page.date())
}

/// Every page and section, by URL, with its last change where known.
/// A page with translations lists every language's version, itself included, as search engines
/// ask (`xhtml:link` alternates).
pub fn sitemap(site: &Site) -> String {
    let content = &site.content;
    let mut pages: Vec<&Page> = content.pages.iter().filter(|p| listed(p)).collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if content.languages.is_multilingual() {
        xml.push_str(
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
    } else {
        xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    }
    for page in pages {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape(&page_url(site, page)));
        xml.push_str("</loc>\n");
        let versions = content
            .translations
            .get(&page.key)
            .map_or(&[][..], Vec::as_slice);
        let listed_versions = versions
            .iter()
            .map(|&i| &content.pages[i])
            .filter(|p| listed(p));
        if listed_versions.clone().count() > 1 {
            for version in listed_versions {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape(&version.lang),
                    escape(&page_url(site, version))
                ));
            }
        }
        if let Some(day) = last_changed(page) {
            xml.push_str(&format!("    <lastmod>{}</lastmod>\n", day));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Lets every crawler in and names the sitemap. Crawlers read robots.txt only at a host's root:
/// under a subpath it is a file for the host's owner to merge into theirs.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}{SITEMAP}\n",
        site.config.base_url
    )
}

/// Language `lang`'s Atom feed of pages with `update = true` and a `date`, newest first; `None`
/// without any.
pub fn atom(site: &Site, lang: &str) -> Option<String> {
    let mut updates: Vec<&Page> = site
        .content
        .pages
        .iter()
        .filter(|p| p.lang == lang && is_update(p))
        .collect();
    if updates.is_empty() {
        return None;
    }
    // Newest first; the same day falls back to the path, so the order never depends on the
    // order files were read in.
    updates.sort_by(|a, b| b.date().cmp(&a.date()).then_with(|| a.path.cmp(&b.path)));
    let config = &site.config;
    let newest = updates.iter().filter_map(|p| last_changed(p)).max()?;
    let home = format!("{}{}", config.base_url, site.content.languages.prefix(lang));
    let title = config.title_in(lang);
    let description = config.description_in(lang);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(lang)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    if !description.is_empty() {
        xml.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(description)));
    }
    xml.push_str(&format!("  <id>{}</id>\n", escape(&home)));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&format!("{home}{FEED}"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&home)
    ));
    xml.push_str(&format!("  <updated>{}</updated>\n", timestamp(newest)));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(title)
    ));
    for page in updates {
        let url = escape(&page_url(site, page));
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <title>{}</title>\n", escape(page.title())));
        xml.push_str(&format!("    <id>{url}</id>\n"));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"
        ));
        if let Some(date) = page.date() {
            xml.push_str(&format!("    <published>{}</published>\n", timestamp(date)));
        }
        if let Some(day) = last_changed(page) {
            xml.push_str(&format!("    <updated>{}</updated>\n", timestamp(day)));
        }
        if let Some(summary) = page.meta.description.as_deref().filter(|d| !d.is_empty()) {
            xml.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                escape(summary)
            ));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Some(xml)
}

/// Atom wants a full date-time: the start of the day, in UTC.
fn timestamp(day: Date) -> String {
    format!("{}T00:00:00Z", day)
}

/// Escapes text for XML content and double-quoted attributes, dropping the control characters
/// XML 1.0 does not allow at all.
pub fn escape(text: &str) -> String {
    let allowed = |c: char| (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r');
    crate::theme::escape_html(&text.chars().filter(|&c| allowed(c)).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_forbidden_characters() {
        assert_eq!(
            escape("Tom & \"Jerry\" <b>'s</b>\u{1}"),
            "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt;"
        );
    }

    #[test]
    fn the_generated_names_are_output_paths() {
        for name in [SITEMAP, ROBOTS, FEED] {
            assert_eq!(
                OutputPath::new(name).map(String::from),
                Ok(name.to_string())
            );
        }
    }

    #[test]
    fn paths_are_percent_encoded_but_keep_their_slashes() {
        assert_eq!(
            utf8_percent_encode("a b/é?/", PATH).to_string(),
            "a%20b/%C3%A9%3F/"
        );
    }
}
