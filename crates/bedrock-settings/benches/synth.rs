//! Synthesis time of each sample configuration, and how template writing
//! scales with the number of resources.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use bedrock_settings::{parse_config, synthesize};
use cfn_template::resources::ssm::Parameter;
use cfn_template::{Expr, Template};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

const SAMPLES: [(&str, &str); 5] = [
    ("both-destinations", include_str!("../samples/both-destinations.yaml")),
    ("s3-only", include_str!("../samples/s3-only.yaml")),
    ("cloudwatch-only", include_str!("../samples/cloudwatch-only.yaml")),
    ("full", include_str!("../samples/full.yaml")),
    // 63 resources: every alarm, metric filter, saved query and the dashboard.
    ("monitoring-everything", include_str!("../samples/monitoring-everything.yaml")),
];

fn samples(c: &mut Criterion) {
    let mut group = c.benchmark_group("synth");
    for (name, yaml) in SAMPLES {
        group.bench_function(BenchmarkId::new("json", name), |b| {
            b.iter(|| {
                let config = parse_config(yaml, name).expect("samples are valid");
                synthesize(&config).to_json().expect("samples synthesize")
            })
        });
        let config = parse_config(yaml, name).expect("samples are valid");
        group.bench_function(BenchmarkId::new("yaml", name), |b| b.iter(|| synthesize(&config).to_yaml()));
    }
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("template_size");
    for n in [10usize, 100, 500] {
        let mut t = Template::new();
        let mut previous: Option<Expr> = None;
        for i in 0..n {
            let value = previous.take().unwrap_or_else(|| Expr::sub("${AWS::Region}"));
            let parameter =
                Parameter { name: Some(format!("/bench/{i}").into()), ..Parameter::new("String", value) };
            let h = t.add(format!("Param{i}"), parameter);
            previous = Some(h.r#ref());
        }
        group.bench_with_input(BenchmarkId::new("validate_and_write_json", n), &t, |b, t| {
            b.iter(|| t.to_json())
        });
    }
    group.finish();
}

criterion_group!(benches, samples, scaling);
criterion_main!(benches);
