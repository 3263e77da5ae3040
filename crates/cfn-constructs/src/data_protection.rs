//! CloudWatch Logs data protection: a log group's policy that audits and
//! masks sensitive data as it is ingested.
//!
//! The document follows CloudWatch Logs' documented format ("Understanding
//! data protection policies", policy language version `2021-06-01`): a
//! `Name`, a `Version`, and two statements over the same data identifiers,
//! one whose operation is `Audit` with a `FindingsDestination`, one whose
//! operation is `Deidentify` with `MaskConfig: {}`. Data is masked when it is
//! ingested: events ingested before the policy are not. Who holds
//! `logs:Unmask` on the log group reads the events unmasked.

use cfn_template::Expr;
use serde_json::{json, Map, Value};

/// The policy language version CloudWatch Logs accepts.
const POLICY_VERSION: &str = "2021-06-01";

/// The longest policy document CloudWatch Logs takes, in characters.
pub const MAX_DATA_PROTECTION_POLICY: usize = 30_720;

/// CloudWatch Logs' managed data identifiers, by name, as the CloudWatch
/// Logs User Guide lists them ("Types of data that you can protect",
/// `protect-sensitive-log-data-types.html`): the language- and
/// region-independent ones, then those that carry an ISO 3166-1 alpha-2
/// country code (`DriversLicense-US`), or `EU` for the European health
/// insurance card. In a policy each is the ARN
/// `arn:<partition>:dataprotection::aws:data-identifier/<name>`.
pub const MANAGED_DATA_IDENTIFIERS: &[&str] = &[
    // Independent of language and region.
    "Address",
    "AwsSecretKey",
    "CreditCardExpiration",
    "CreditCardNumber",
    "CreditCardSecurityCode",
    "EmailAddress",
    "IpAddress",
    "LatLong",
    "Name",
    "OpenSshPrivateKey",
    "PgpPrivateKey",
    "PkcsPrivateKey",
    "PuttyPrivateKey",
    "VehicleIdentificationNumber",
    // With a country or region code.
    "BankAccountNumber-DE",
    "BankAccountNumber-ES",
    "BankAccountNumber-FR",
    "BankAccountNumber-GB",
    "BankAccountNumber-IT",
    "BankAccountNumber-US",
    "CepCode-BR",
    "Cnpj-BR",
    "CpfCode-BR",
    "DriversLicense-AT",
    "DriversLicense-AU",
    "DriversLicense-BE",
    "DriversLicense-BG",
    "DriversLicense-CA",
    "DriversLicense-CY",
    "DriversLicense-CZ",
    "DriversLicense-DE",
    "DriversLicense-DK",
    "DriversLicense-EE",
    "DriversLicense-ES",
    "DriversLicense-FI",
    "DriversLicense-FR",
    "DriversLicense-GB",
    "DriversLicense-GR",
    "DriversLicense-HR",
    "DriversLicense-HU",
    "DriversLicense-IE",
    "DriversLicense-IT",
    "DriversLicense-LT",
    "DriversLicense-LU",
    "DriversLicense-LV",
    "DriversLicense-MT",
    "DriversLicense-NL",
    "DriversLicense-PL",
    "DriversLicense-PT",
    "DriversLicense-RO",
    "DriversLicense-SE",
    "DriversLicense-SI",
    "DriversLicense-SK",
    "DriversLicense-US",
    "DrugEnforcementAgencyNumber-US",
    "ElectoralRollNumber-GB",
    "HealthInsuranceCardNumber-EU",
    "HealthInsuranceClaimNumber-US",
    "HealthInsuranceNumber-FR",
    "HealthcareProcedureCode-US",
    "IndividualTaxIdentificationNumber-US",
    "InseeCode-FR",
    "MedicareBeneficiaryNumber-US",
    "NationalDrugCode-US",
    "NationalIdentificationNumber-DE",
    "NationalIdentificationNumber-ES",
    "NationalIdentificationNumber-IT",
    "NationalInsuranceNumber-GB",
    "NationalProviderId-US",
    "NhsNumber-GB",
    "NieNumber-ES",
    "NifNumber-ES",
    "PassportNumber-CA",
    "PassportNumber-DE",
    "PassportNumber-ES",
    "PassportNumber-FR",
    "PassportNumber-GB",
    "PassportNumber-IT",
    "PassportNumber-US",
    "PermanentResidenceNumber-CA",
    "PersonalHealthNumber-CA",
    "PhoneNumber",
    "PhoneNumber-BR",
    "PhoneNumber-DE",
    "PhoneNumber-ES",
    "PhoneNumber-FR",
    "PhoneNumber-GB",
    "PhoneNumber-IT",
    "PhoneNumber-US",
    "PostalCode-CA",
    "RgNumber-BR",
    "SocialInsuranceNumber-CA",
    "Ssn-ES",
    "Ssn-US",
    "TaxId-DE",
    "TaxId-ES",
    "TaxId-FR",
    "TaxId-GB",
    "ZipCode-US",
];

/// Whether `name` is one of CloudWatch Logs' managed data identifiers.
pub fn is_managed_data_identifier(name: &str) -> bool {
    MANAGED_DATA_IDENTIFIERS.contains(&name)
}

/// A data protection policy that audits and masks managed data
/// identifiers, sending its findings to a CloudWatch Logs log group.
#[derive(Debug, Clone)]
pub struct DataProtectionPolicy {
    name: String,
    description: Option<String>,
    identifiers: Vec<String>,
    findings_log_group: Expr,
}

impl DataProtectionPolicy {
    /// A policy named `name` over the managed data identifiers `identifiers`
    /// (names of [`MANAGED_DATA_IDENTIFIERS`]), whose audit findings go to
    /// the log group named `findings_log_group`, which must exist before the
    /// policy is put (a `Ref` to it orders the two).
    pub fn new<I: Into<String>>(
        name: impl Into<String>,
        identifiers: impl IntoIterator<Item = I>,
        findings_log_group: Expr,
    ) -> Self {
        DataProtectionPolicy {
            name: name.into(),
            description: None,
            identifiers: identifiers.into_iter().map(Into::into).collect(),
            findings_log_group,
        }
    }

    /// Sets the policy's description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The identifiers the policy audits and masks.
    pub fn identifiers(&self) -> &[String] {
        &self.identifiers
    }

    /// The policy document, as the log group's `DataProtectionPolicy` takes it.
    pub fn document(&self) -> Value {
        let arns: Vec<Value> = self
            .identifiers
            .iter()
            .map(|name| {
                Expr::sub(format!("arn:${{AWS::Partition}}:dataprotection::aws:data-identifier/{name}"))
                    .into()
            })
            .collect();
        let mut policy = Map::new();
        policy.insert("Name".into(), self.name.clone().into());
        if let Some(d) = &self.description {
            policy.insert("Description".into(), d.clone().into());
        }
        policy.insert("Version".into(), POLICY_VERSION.into());
        let findings: Value = self.findings_log_group.clone().into();
        policy.insert(
            "Statement".into(),
            json!([
                {
                    "Sid": "audit",
                    "DataIdentifier": arns,
                    "Operation": {"Audit": {"FindingsDestination": {"CloudWatchLogs": {"LogGroup": findings}}}}
                },
                {
                    "Sid": "mask",
                    "DataIdentifier": arns,
                    "Operation": {"Deidentify": {"MaskConfig": {}}}
                }
            ]),
        );
        Value::Object(policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_and_mask_cover_the_same_identifiers() {
        let p = DataProtectionPolicy::new("p", ["EmailAddress", "AwsSecretKey"], Expr::from("findings"));
        let d = p.document();
        assert_eq!(d["Version"], "2021-06-01");
        let statements = d["Statement"].as_array().unwrap();
        assert_eq!(statements.len(), 2);
        assert_eq!(statements[0]["DataIdentifier"], statements[1]["DataIdentifier"]);
        assert_eq!(
            statements[0]["Operation"]["Audit"]["FindingsDestination"]["CloudWatchLogs"]["LogGroup"],
            "findings"
        );
        assert_eq!(statements[1]["Operation"]["Deidentify"]["MaskConfig"], json!({}));
        assert_eq!(
            statements[0]["DataIdentifier"][0]["Fn::Sub"],
            "arn:${AWS::Partition}:dataprotection::aws:data-identifier/EmailAddress"
        );
    }

    #[test]
    fn the_list_names_each_identifier_once() {
        let mut seen = std::collections::BTreeSet::new();
        for name in MANAGED_DATA_IDENTIFIERS {
            assert!(seen.insert(*name), "{name} twice");
        }
        assert!(is_managed_data_identifier("Ssn-US") && !is_managed_data_identifier("SSN-US"));
    }
}
