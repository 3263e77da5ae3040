"""Measures `synth diff` against CDK's template diff on real template history.

`assemble` gathers pairs of consecutive versions of CloudFormation templates
from git history, `compare` runs both diffs on every pair and classifies where
they disagree, `report` sums the results up, with the adjudicated sample.
"""
