//! How reading an mdaa.yaml scales with the estate: 10, 100 and 1,000
//! module instances (the largest is 50 domains × 4 environments × 5
//! modules), each environment built from an env template plus a module of
//! its own with inline config.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use mdaa::{Estate, SourceFile};

/// An estate of `domains × envs × 5` module instances.
fn estate_yaml(domains: usize, envs: usize) -> String {
    let mut y = String::from(
        "organization: acme\nregion: eu-west-1\ntag_configs: [./tags.yaml]\ncontext:\n  log_account: '111111111111'\n  reader: arn:{{partition}}:iam::{{account}}:role/Reader\n\
         env_templates:\n  governed:\n    context: {tier: governed}\n    modules:\n",
    );
    for m in ["bedrock-settings", "audit", "roles", "datalake"] {
        y.push_str(&format!(
            "      {m}:\n        module_path: '@aws-mdaa/{m}'\n        module_configs:\n          - ./configs/{m}.yaml\n          - ./configs/{{{{env}}}}/{m}.yaml\n"
        ));
    }
    y.push_str("domains:\n");
    for d in 0..domains {
        y.push_str(&format!(
            "  domain-{d}:\n    account: '{:012}'\n    context: {{owner: team-{d}}}\n    environments:\n",
            100_000 + d
        ));
        for e in 0..envs {
            y.push_str(&format!(
                "      env-{e}:\n        template: governed\n        tag_config_data: {{environment: env-{e}}}\n        modules:\n          audit-extra:\n            module_path: '@aws-mdaa/audit@1.6.0'\n            module_config_data:\n              readRoles:\n                - arn: '{{{{context:reader}}}}'\n              sourceAccounts: ['{{{{context:log_account}}}}']\n              inventoryPrefix: inventory/{{{{domain}}}}/{{{{env}}}}/\n"
            ));
        }
    }
    y
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (domains, envs) in [(1, 2), (5, 4), (50, 4)] {
        let yaml = estate_yaml(domains, envs);
        let instances = domains * envs * 5;
        let check = Estate::parse(SourceFile::new("mdaa.yaml", yaml.clone()), &mdaa::no_env)
            .expect("the estate is valid");
        assert_eq!(check.instances.len(), instances);
        group.throughput(Throughput::Elements(instances as u64));
        group.bench_with_input(BenchmarkId::new("instances", instances), &yaml, |b, yaml| {
            b.iter(|| Estate::parse(SourceFile::new("mdaa.yaml", yaml.as_str()), &mdaa::no_env).unwrap())
        });
    }
    group.finish();
}

fn resolve_inline(c: &mut Criterion) {
    let estate = Estate::parse(SourceFile::new("mdaa.yaml", estate_yaml(50, 4)), &mdaa::no_env).unwrap();
    c.bench_function("resolve_inline/instances/1000", |b| {
        b.iter(|| {
            for i in &estate.instances {
                estate.resolve_inline(i, &mdaa::no_env).unwrap();
            }
        })
    });
}

criterion_group!(benches, parse, resolve_inline);
criterion_main!(benches);
