//! How `synth --mdaa` scales with the estate: 10, 100 and 1,000 module
//! instances (the largest 50 domains × 4 environments × 5 modules), read,
//! synthesized and written to disk, as the command does it. Every instance
//! is one of the modules this synth has, so each is a whole synthesis.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// The five modules of every environment: bedrock-settings with each
/// destination and both, and the audit module twice (distinct buckets).
const MODULES: [(&str, &str, &str); 5] = [
    ("bedrock-settings", "bedrock-settings", "both.yaml"),
    ("bedrock-s3", "bedrock-settings", "s3.yaml"),
    ("bedrock-logs", "bedrock-settings", "logs.yaml"),
    ("audit", "audit", "audit.yaml"),
    ("audit-archive", "audit", "audit.yaml"),
];

/// Writes an estate of `domains × envs × 5` instances under `dir`; returns its mdaa.yaml.
fn write_estate(dir: &Path, domains: usize, envs: usize) -> PathBuf {
    let configs = dir.join("configs");
    std::fs::create_dir_all(&configs).unwrap();
    let files = [
        ("both.yaml", "enableAuditLoggingToCloudwatch: true\nenableAuditLoggingToS3: true\n"),
        ("s3.yaml", "enableAuditLoggingToCloudwatch: false\nenableAuditLoggingToS3: true\n"),
        ("logs.yaml", "enableAuditLoggingToCloudwatch: true\nenableAuditLoggingToS3: false\n"),
        ("audit.yaml", "readRoles:\n  - arn: arn:{{partition}}:iam::{{account}}:role/Auditor\ninventoryPrefix: inventory/{{env}}/\n"),
    ];
    for (name, text) in files {
        std::fs::write(configs.join(name), text).unwrap();
    }
    std::fs::write(dir.join("tags.yaml"), "tags:\n  owner: data-platform\n").unwrap();

    let mut y = String::from("organization: acme\nregion: eu-west-1\ntag_configs: [./tags.yaml]\nenv_templates:\n  governed:\n    modules:\n");
    for (name, module, config) in MODULES {
        y.push_str(&format!(
            "      {name}:\n        module_path: '@aws-mdaa/{module}'\n        module_configs: [./configs/{config}]\n"
        ));
    }
    y.push_str("domains:\n");
    for d in 0..domains {
        y.push_str(&format!("  domain-{d}:\n    account: '{:012}'\n    environments:\n", 100_000 + d));
        for e in 0..envs {
            y.push_str(&format!("      env-{e}:\n        template: governed\n"));
        }
    }
    let path = dir.join("mdaa.yaml");
    std::fs::write(&path, y).unwrap();
    path
}

fn estate(c: &mut Criterion) {
    let mut group = c.benchmark_group("estate");
    group.sample_size(10);
    for (domains, envs) in [(1, 2), (5, 4), (50, 4)] {
        let instances = domains * envs * MODULES.len();
        let dir = tempfile::tempdir().unwrap();
        let mdaa_yaml = write_estate(dir.path(), domains, envs);
        let out = dir.path().join("out");
        let written =
            synth::mdaa::synthesize_estate(&mdaa_yaml, &out, synth::MODULES).expect("the estate synthesizes");
        assert_eq!(written.templates, instances, "every instance is a module this synth has");
        group.throughput(Throughput::Elements(instances as u64));
        group.bench_with_input(BenchmarkId::new("instances", instances), &mdaa_yaml, |b, mdaa_yaml| {
            b.iter(|| synth::mdaa::synthesize_estate(mdaa_yaml, &out, synth::MODULES).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, estate);
criterion_main!(benches);
