//! `frameaudit init CODE`: scaffold a new profile with every criterion of the rubric listed
//! as `unknown` at every level it applies to, ready to fill in. Never overwrites a file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::{Ctx, Exit};
use crate::diag::display_path;
use crate::load::yaml_write::quote;
use crate::load::{self, load_set};
use crate::model::Rubric;

/// Arguments of `frameaudit init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// ISO 3166-1 alpha-2 country code (e.g. `PH`).
    pub code: String,
    /// Country name [default: from the bundled region.yaml when the code is a member].
    #[arg(long)]
    pub name: Option<String>,
    /// The rubric to list criteria from [default: the bundled ACWC rubric].
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Write the profile to FILE (refused if it exists) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let code = args.code.trim().to_uppercase();
    if !crate::model::Country::is_valid_code(&code) {
        ctx.error(format!(
            "`{}` is not an ISO 3166-1 alpha-2 country code (two letters, e.g. PH)",
            args.code
        ));
        return Exit::Invalid;
    }
    if let Some(out) = &args.output
        && out.exists()
    {
        ctx.error(format!(
            "{} already exists; refusing to overwrite it (choose another -o path or remove the file first)",
            display_path(out)
        ));
        return Exit::Invalid;
    }
    let rubric_path = args
        .rubric
        .clone()
        .unwrap_or_else(|| crate::diag::relative_to_cwd(&ctx.default_rubric()));
    let mut diags = Vec::new();
    let Some(rubric) = load::rubric::load(&rubric_path, &ctx.limits, &mut diags) else {
        ctx.print_diagnostics(&diags);
        return Exit::Invalid;
    };
    let name = match args.name.clone() {
        Some(n) => n,
        None => {
            let region = ctx.default_region_dir().join("region.yaml");
            let set = load_set(&[region], &ctx.load_options(None));
            match set
                .regions
                .iter()
                .flat_map(|r| &r.members)
                .find(|m| m.code == code)
            {
                Some(m) => m.name.clone(),
                None => {
                    ctx.error(format!(
                        "`{code}` is not a member of the bundled region; give the country's name with --name"
                    ));
                    return Exit::Invalid;
                }
            }
        }
    };
    let schema_file = ctx.data_root.join("schema").join("profile.schema.json");
    let text = scaffold(
        &code,
        &name,
        &rubric,
        &ctx.today.to_string(),
        args.output.as_deref(),
        &schema_file,
    );
    let hint = region_hint(ctx, &code, &name, args.output.as_deref());
    match &args.output {
        None => {
            let exit = super::emit(ctx, &crate::output::Target::Stdout, &text, &[]);
            if exit == Exit::Success
                && let Some(h) = &hint
            {
                let _ = writeln!(ctx.err, "{h}");
            }
            exit
        }
        Some(path) => {
            // Create-new semantics: a file that appeared since the check above is not replaced.
            if path.exists() {
                ctx.error(format!(
                    "{} already exists; refusing to overwrite it",
                    display_path(path)
                ));
                return Exit::Invalid;
            }
            match crate::output::write_atomic(
                path,
                text.as_bytes(),
                std::slice::from_ref(&rubric.path),
            ) {
                Ok(()) => {
                    let _ = writeln!(
                        ctx.err,
                        "wrote {} ({} criteria, every cell unknown); fill it in, then run `frameaudit validate {}`",
                        display_path(path),
                        rubric.criteria.len(),
                        display_path(path)
                    );
                    if let Some(h) = &hint {
                        let _ = writeln!(ctx.err, "{h}");
                    }
                    Exit::Success
                }
                Err(e) => {
                    ctx.error(e);
                    Exit::Invalid
                }
            }
        }
    }
}

/// What to add to region.yaml for the new profile to count in `compare`: nothing when the
/// region beside the output already lists the country; else its member line.
fn region_hint(ctx: &Ctx<'_>, code: &str, name: &str, out: Option<&Path>) -> Option<String> {
    let line = format!(
        "  - {{ code: {code}, name: {}, joined: YYYY-MM-DD }}   # the date {code} joined the region",
        quote(name)
    );
    let region_file = out
        .and_then(Path::parent)
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })
        .and_then(|d| {
            ["region.yaml", "region.yml"]
                .iter()
                .map(|n| d.join(n))
                .find(|p| p.is_file())
        });
    match region_file {
        Some(file) => {
            let set = load_set(std::slice::from_ref(&file), &ctx.load_options(None));
            let region = set.regions.first()?;
            if region.members.iter().any(|m| m.code == code) {
                return None;
            }
            Some(format!(
                "note: `{code}` is not a member of region `{}`; for `compare` to count it, add to `members:` in {}:\n{line}",
                region.id,
                display_path(&file)
            ))
        }
        None => Some(format!(
            "note: to compare {code} with a region, put the profile beside the region's region.yaml and add to its `members:`\n{line}"
        )),
    }
}

/// The schema's path relative to the output file's folder, when both are known.
fn schema_ref(out: Option<&Path>, schema_file: &Path) -> Option<String> {
    let dir = std::path::absolute(out?.parent()?).ok()?;
    let target = std::path::absolute(schema_file).ok()?;
    if !target.is_file() {
        return None;
    }
    let common = dir
        .components()
        .zip(target.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return None;
    }
    let ups = dir.components().count() - common;
    let mut rel: Vec<String> = std::iter::repeat_n("..".to_string(), ups).collect();
    rel.extend(
        target
            .components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(rel.join("/"))
}

/// The scaffold's YAML text.
pub(crate) fn scaffold(
    code: &str,
    name: &str,
    rubric: &Rubric,
    today: &str,
    out: Option<&Path>,
    schema_file: &Path,
) -> String {
    let schema = schema_ref(out, schema_file);
    let mut s = String::new();
    match &schema {
        Some(rel) => {
            let _ = writeln!(s, "# yaml-language-server: $schema={rel}");
        }
        None => s.push_str("# For editor completion, add a first line:\n#   # yaml-language-server: $schema=<path to frameaudit's schema/profile.schema.json>\n"),
    }
    let _ = writeln!(
        s,
        "# {name}: profile scaffolded by `frameaudit init` on {today}. Every cell is `unknown` until\n# assessed. Cite a source for every status; never invent a law, article, date or finding.\n# See docs/profile-format.md."
    );
    let _ = writeln!(s, "format_version: {}", load::FORMAT_VERSION);
    let _ = writeln!(s, "country: {{ code: {code}, name: {} }}", quote(name));
    let _ = writeln!(s, "rubric: {}", rubric.extends.last().unwrap_or(&rubric.id));
    let _ = writeln!(s, "as_of: {today}");
    let _ = writeln!(s, "compiled_from: \"Not yet compiled.\"");
    s.push_str("sources: []\n# - id: example-law-2020\n#   title: Full title of the law, with its number and year\n#   kind: law        # law | policy | report | other\n#   year: 2020\n");
    s.push_str("assessments:\n");
    for c in &rubric.criteria {
        let _ = writeln!(s, "  # {}", c.question);
        let _ = writeln!(s, "  {}:", c.id);
        for l in &c.levels {
            let _ = writeln!(
                s,
                "    {l}: {{ status: unknown, note: \"Not yet assessed.\" }}"
            );
        }
    }
    s.push_str("good_practices: []\nchallenges: []\n");
    s
}
