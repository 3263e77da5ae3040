//! SSM Parameter Store's limits on parameter names, for the names the
//! module writes and the ones it reads.

/// The most levels an SSM parameter name has (`/a/b/name` has three).
pub(crate) const MAX_SSM_LEVELS: usize = 15;

/// The longest SSM parameter name, 1,011 characters, counts the ARN in
/// front of it (`arn:aws:ssm:us-east-2:111122223333:parameter`); this is
/// that ARN in the longest partition and region names, with room to spare.
const SSM_ARN_BEFORE_NAME: usize = "arn:aws-us-gov:ssm:ap-southeast-7:111122223333:parameter".len() + 3;

/// The longest parameter name that fits in every partition and region.
pub(crate) const MAX_SSM_NAME: usize = 1011 - SSM_ARN_BEFORE_NAME;
