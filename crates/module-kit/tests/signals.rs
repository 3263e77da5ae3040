//! SIGINT, SIGTERM and SIGHUP while a template is being written leave no
//! temporary file behind, and end the process as the signal would; nor do
//! they leave a staging folder, or an output folder the run created and had
//! not finished.
//!
//! The test runs itself again as a child that stops halfway through a write
//! (the temporary file created and partly written) until it is signalled.
//! Its own `main`, since a signal must reach a process of its own.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD: &str = "MODULE_KIT_SIGNALS_CHILD";

/// A run writing into a folder it created (`out`), through a staging
/// folder inside it; with `keep_first` the run has kept `out` (its work done
/// while signals were held) and only the staging folder is left to remove.
fn folder_child(dir: &Path, keep_first: bool) -> ! {
    let out = module_kit::cli::TempDir::create(&dir.join("out")).expect("out");
    let staging = module_kit::cli::TempDir::create_in(out.path(), ".synth-mdaa-").expect("staging");
    std::fs::create_dir(staging.path().join("domain")).expect("subfolder");
    std::fs::write(staging.path().join("domain/module.json"), b"{\"half\": ").expect("write");
    if keep_first {
        let mut held = module_kit::cli::hold_signals();
        std::fs::write(out.path().join("manifest.json"), b"{}").expect("manifest");
        out.keep(&mut held);
    }
    println!("ready");
    std::io::stdout().flush().expect("flush");
    std::thread::sleep(Duration::from_secs(60));
    drop(staging);
    eprintln!("the signal did not end the child");
    std::process::exit(3)
}

fn child(dir: &Path, persist_first: bool) -> ! {
    if std::env::var_os("FOLDER").is_some() {
        folder_child(dir, persist_first);
    }
    let target = dir.join("template.json");
    let mut tmp = module_kit::cli::TempFile::create_in(dir).expect("temporary file");
    tmp.write_all(b"{\"half\": ").expect("write");
    if persist_first {
        tmp.persist(&target).expect("persist");
    }
    println!("ready");
    std::io::stdout().flush().expect("flush");
    std::thread::sleep(Duration::from_secs(60));
    eprintln!("the signal did not end the child");
    std::process::exit(3)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn interrupt(signal: (&str, i32), persist_first: bool, folder: bool) -> Result<(), String> {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, dir.path())
        .env("PERSIST_FIRST", if persist_first { "1" } else { "0" })
        .envs(folder.then_some(("FOLDER", "1")))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(c.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let before = entries(dir.path());
    let out = dir.path().join("out");
    let before_out = if folder && out.is_dir() { entries(&out) } else { Vec::new() };
    let sent = line.trim() == "ready"
        && Command::new("kill")
            .arg(format!("-{}", signal.0))
            .arg(c.id().to_string())
            .status()
            .unwrap()
            .success();
    if !sent {
        let _ = c.kill();
    }
    let status = c.wait().unwrap();
    if !sent {
        return Err(format!("the child was not signalled; it said {line:?}"));
    }
    let after = entries(dir.path());
    if status.signal() != Some(signal.1) {
        return Err(format!("the child ended with {status:?}, not {}", signal.0));
    }
    if folder {
        if before != ["out"] || before_out.len() != if persist_first { 2 } else { 1 } {
            return Err(format!("the child had not made its folders: {before:?}, {before_out:?}"));
        }
        let kept = if persist_first { entries(&out) } else { Vec::new() };
        if persist_first && kept != ["manifest.json"] {
            return Err(format!(
                "{} must remove the staging folder and keep the output, found {kept:?}",
                signal.0
            ));
        }
        if !persist_first && !after.is_empty() {
            return Err(format!("{} left {after:?} behind", signal.0));
        }
    } else if persist_first {
        if after != ["template.json"] {
            return Err(format!("after the rename the template must stay, found {after:?}"));
        }
    } else {
        if !(before.len() == 1 && before[0].starts_with(".synth-") && before[0].ends_with(".tmp")) {
            return Err(format!("the child had not made its temporary file: {before:?}"));
        }
        if !after.is_empty() {
            return Err(format!("{} left {after:?} behind", signal.0));
        }
    }
    Ok(())
}

fn main() {
    if let Some(dir) = std::env::var_os(CHILD) {
        child(Path::new(&dir), std::env::var("PERSIST_FIRST").as_deref() == Ok("1"));
    }
    let mut failed = 0;
    let cases = [("INT", 2), ("TERM", 15), ("HUP", 1)];
    let mut ran = 0;
    for (folder, persist_first) in [(false, false), (false, true), (true, false), (true, true)] {
        for signal in cases {
            ran += 1;
            let name = format!(
                "SIG{} {}",
                signal.0,
                match (folder, persist_first) {
                    (false, false) => "during the write",
                    (false, true) => "after the rename",
                    (true, false) => "while a created folder is filled",
                    (true, true) => "after the folder was kept",
                }
            );
            match interrupt(signal, persist_first, folder) {
                Ok(()) => println!("{name}: ok"),
                Err(e) => {
                    failed += 1;
                    println!("{name}: FAILED: {e}");
                }
            }
        }
    }
    println!("{} passed, {failed} failed", ran - failed);
    if failed > 0 {
        std::process::exit(1);
    }
}
