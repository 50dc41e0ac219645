//! The eligibility checkers: rules compiled once per build, embedded in pages.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::facts::Facts;
use crate::markdown::Embeds;
use crate::theme::Assets;

#[derive(Default)]
pub struct Checkers {}

impl Checkers {
    pub fn load(
        _root: &Path,
        _facts: &Facts,
        _assets: &mut Assets,
    ) -> Result<Checkers, Diagnostics> {
        Ok(Checkers {})
    }
}

impl Embeds for Checkers {
    fn checker(&self, id: &str, _root: &str) -> Result<String, String> {
        Err(format!("no rules file content/rules/{id}.toml"))
    }
    fn checker_ids(&self) -> Vec<&str> {
        Vec::new()
    }
}

impl Checkers {
    pub fn checker_ids_len(&self) -> usize {
        self.checker_ids().len()
    }
}
