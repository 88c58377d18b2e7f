//! The HTML report as a reader sees it: headless Chromium renders the fixture report to a PNG,
//! which must have the window's dimensions and be far from blank (compared with a screenshot
//! of an empty page taken the same way). CI installs Debian's chromium (.ci/run); without a
//! browser the test fails unless FRAMEAUDIT_SKIP_BROWSER=1.
//!
//! The screenshot is kept at `target/tmp/report_html_render/xa.png` for a person to look at.
//!
//! The regional comparison of the bundled data is printed to PDF the way the README says
//! (A4, no header or footer): at most 12 pages including the annex, and its executive
//! summary, printed on its own, one page. The PDFs are kept beside the screenshot.
#![allow(
    clippy::print_stderr,
    reason = "the test tells the person running it where the screenshot is, or why it skipped"
)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::frameaudit;

const WIDTH: u32 = 1240;
const HEIGHT: u32 = 1754;

fn find_browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Screenshots `html` into `png` with a fresh profile directory; panics after two minutes.
fn screenshot(browser: &Path, html: &Path, png: &Path, work: &Path) {
    let profile = tempfile::tempdir_in(work).unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={WIDTH},{HEIGHT}"))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the browser");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "browser exited with {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the browser took more than two minutes to screenshot {}",
                html.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Prints `html` to `pdf` (the page's own @page size, no header or footer); panics after two
/// minutes.
fn print_pdf(browser: &Path, html: &Path, pdf: &Path, work: &Path) {
    let profile = tempfile::tempdir_in(work).unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the browser");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "browser exited with {status}");
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the browser took more than two minutes to print {}",
                html.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The page count of a PDF: the largest `/Count` of its page tree (the root's).
fn pdf_pages(bytes: &[u8]) -> usize {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    let text = String::from_utf8_lossy(bytes);
    text.match_indices("/Count ")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .expect("the PDF has a page tree with /Count")
}

/// The browser, or None (with a note) when it is missing and FRAMEAUDIT_SKIP_BROWSER=1.
fn browser_or_skip() -> Option<PathBuf> {
    match find_browser() {
        Some(b) => Some(b),
        None if std::env::var("FRAMEAUDIT_SKIP_BROWSER").as_deref() == Ok("1") => {
            eprintln!("skipped: no chromium on PATH and FRAMEAUDIT_SKIP_BROWSER=1");
            None
        }
        None => panic!(
            "chromium is not installed, so the HTML output cannot be checked in a browser.\n\
             Install it (Debian/Ubuntu: `apt-get install -y chromium`; .ci/run does this), \
             or set FRAMEAUDIT_SKIP_BROWSER=1 to skip this test."
        ),
    }
}

#[test]
fn comparison_prints_on_at_most_12_a4_pages_with_a_one_page_summary() {
    let Some(browser) = browser_or_skip() else {
        return;
    };
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_html_render");
    std::fs::create_dir_all(&keep).unwrap();
    let work = tempfile::tempdir().unwrap();
    let html = work.path().join("asean.html");
    let run = frameaudit(&["compare", "--format", "html", "-o", html.to_str().unwrap()]).run();
    run.code(0);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("10 of 11 member states have a profile")
            || page.contains("All 11 member states have a profile")
    );

    let pdf = keep.join("asean.pdf");
    let _ = std::fs::remove_file(&pdf);
    print_pdf(&browser, &html, &pdf, work.path());
    let pages = pdf_pages(&std::fs::read(&pdf).expect("the browser wrote the PDF"));
    eprintln!("comparison: {pages} pages ({})", pdf.display());
    assert!(
        (3..=12).contains(&pages),
        "the comparison prints on {pages} A4 pages; at most 12 are allowed ({})",
        pdf.display()
    );

    // The executive summary alone: the page up to the section after it.
    let cut = page
        .find("<section aria-labelledby=\"ranking\">")
        .expect("the ranking section follows the summary");
    let summary_only = format!("{}</main>\n</body>\n</html>\n", &page[..cut]);
    let summary_html = work.path().join("summary.html");
    std::fs::write(&summary_html, summary_only).unwrap();
    let summary_pdf = keep.join("asean-summary.pdf");
    let _ = std::fs::remove_file(&summary_pdf);
    print_pdf(&browser, &summary_html, &summary_pdf, work.path());
    let pages = pdf_pages(&std::fs::read(&summary_pdf).expect("the browser wrote the PDF"));
    assert_eq!(
        pages,
        1,
        "the executive summary prints on {pages} A4 pages; it must fit on one ({})",
        summary_pdf.display()
    );
}

/// Width and height from a PNG's IHDR chunk.
fn png_dimensions(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "PNG too short");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is not IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn html_report_renders_in_a_browser() {
    let Some(browser) = find_browser() else {
        if std::env::var("FRAMEAUDIT_SKIP_BROWSER").as_deref() == Ok("1") {
            eprintln!("skipped: no chromium on PATH and FRAMEAUDIT_SKIP_BROWSER=1");
            return;
        }
        panic!(
            "chromium is not installed, so the HTML report cannot be checked in a browser.\n\
             Install it (Debian/Ubuntu: `apt-get install -y chromium`; .ci/run does this), \
             or set FRAMEAUDIT_SKIP_BROWSER=1 to skip this test."
        );
    };

    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_html_render");
    std::fs::create_dir_all(&keep).unwrap();
    let work = tempfile::tempdir().unwrap();
    let html = work.path().join("xa.html");
    frameaudit(&[
        "report",
        "tests/fixtures/report/xx/xa.yaml",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ])
    .run()
    .code(0);
    let blank = work.path().join("blank.html");
    std::fs::write(
        &blank,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>\n",
    )
    .unwrap();

    let png = keep.join("xa.png");
    let blank_png = keep.join("blank.png");
    for p in [&png, &blank_png] {
        let _ = std::fs::remove_file(p);
    }
    screenshot(&browser, &html, &png, work.path());
    screenshot(&browser, &blank, &blank_png, work.path());

    let report = std::fs::read(&png).expect("the browser wrote the report screenshot");
    let empty = std::fs::read(&blank_png).expect("the browser wrote the blank screenshot");
    assert_eq!(
        png_dimensions(&report),
        (WIDTH, HEIGHT),
        "report screenshot size"
    );
    assert_eq!(
        png_dimensions(&empty),
        (WIDTH, HEIGHT),
        "blank screenshot size"
    );
    assert!(
        report.len() > 5 * empty.len() && report.len() > 50_000,
        "the report screenshot looks blank: {} bytes against {} for an empty page ({})",
        report.len(),
        empty.len(),
        png.display()
    );
    eprintln!("screenshot: {}", png.display());
}
