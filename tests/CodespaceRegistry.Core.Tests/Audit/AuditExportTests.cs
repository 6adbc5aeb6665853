using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodespaceRegistry.Audit;
using Json.Schema;
using Xunit;

namespace CodespaceRegistry.Tests.Audit
{
    /// <summary>
    /// The SARIF and JSON the audit writes. SARIF is validated against the official SARIF 2.1.0 JSON schema (the OASIS
    /// schema, draft 2020-12, as Sarif.Sdk ships it), formats included; plus what GitHub code scanning asks beyond it:
    /// a rule id whose ruleIndex points at it, and a location per result.
    /// </summary>
    public sealed class AuditExportTests
    {
        private static IReadOnlyList<RegistryAuditResult> Results() => new[]
        {
            new RegistryAuditResult("ACME", AuditSubjectKind.SecretSet, AuditStatus.Failed, "IncompleteSet", "The set ACME has no ACME_CONTAINER_REGISTRY_PASSWORD.", "Add it."),
            new RegistryAuditResult("GOOD", AuditSubjectKind.SecretSet, AuditStatus.Passed, "SecretSetValid", "All three secrets of 'GOOD' are present.", ""),
            new RegistryAuditResult("ghcr.io/octo-org/base:1.4", AuditSubjectKind.Image, AuditStatus.Warning, "NeedsGrant", "Grant it.", "Open the settings.")
            {
                Repository = "octo-org/app", File = ".devcontainer/Dockerfile", Line = 3, Column = 6, Configuration = ".devcontainer/devcontainer.json",
            },
            new RegistryAuditResult("ghcr.io/octo-org/feature x:1", AuditSubjectKind.Feature, AuditStatus.Undetermined, "PackageFactsUnavailable", "No token.", "")
            {
                Repository = "octo-org/app", File = ".devcontainer/my folder/devcontainer.json", Line = 5, Column = 6, Configuration = ".devcontainer/my folder/devcontainer.json",
            },
        };

        [Fact]
        public void TheSarifValidatesAgainstTheOfficialSarif210Schema()
        {
            var log = JsonNode.Parse(AuditExport.ToSarif(Results()))!;
            Assert.Empty(SchemaErrors(log));
            var run = log["runs"]![0]!;
            var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
            foreach (var result in run["results"]!.AsArray())
            {
                Assert.Equal((string?)result!["ruleId"], (string?)rules[(int)result["ruleIndex"]!]!["id"]);
                Assert.NotEmpty(result["locations"]!.AsArray());
            }
        }

        [Theory]
        [InlineData("level", "fatal")]                                   // not in the level enum
        [InlineData("helpUri", "help me")]                               // not an absolute uri
        [InlineData("ruleIndex", "-2")]                                  // below the minimum
        public void TheSchemaValidatorRefusesWhatTheSchemaForbids(string property, string value)
        {
            var log = JsonNode.Parse(AuditExport.ToSarif(Results()))!;
            var result = log["runs"]![0]!["results"]![0]!;
            switch (property)
            {
                case "level": result["level"] = value; break;
                case "helpUri": log["runs"]![0]!["tool"]!["driver"]!["rules"]![0]!["helpUri"] = value; break;
                default: result[property] = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
            Assert.NotEmpty(SchemaErrors(log));
        }

        [Fact]
        public void TheSarifHasOneResultPerSubjectThatDidNotPassAtTheLineThatNamesIt()
        {
            using var sarif = JsonDocument.Parse(AuditExport.ToSarif(Results()));
            var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(new[] { "error", "warning", "note" }, results.Select(r => r.GetProperty("level").GetString()));
            Assert.Equal(new[] { "SecretSetValid", "ImagePullable", "FeaturePullable" }, results.Select(r => r.GetProperty("ruleId").GetString()));
            var image = results[1].GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal(".devcontainer/Dockerfile", image.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.Equal(3, image.GetProperty("region").GetProperty("startLine").GetInt32());
            Assert.Equal(6, image.GetProperty("region").GetProperty("startColumn").GetInt32());
            // A path with a space is a URI reference only once escaped; a secret set is shown at the configuration, line 1.
            Assert.Equal(".devcontainer/my%20folder/devcontainer.json", results[2].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
            var set = results[0].GetProperty("locations")[0].GetProperty("physicalLocation");
            Assert.Equal(".devcontainer/devcontainer.json", set.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.Equal(1, set.GetProperty("region").GetProperty("startLine").GetInt32());
        }

        [Fact]
        public void FingerprintsAreStableAcrossRunsAndLineMovesAndDifferPerSubject()
        {
            static List<string> Fingerprints(IReadOnlyList<RegistryAuditResult> results)
            {
                using var sarif = JsonDocument.Parse(AuditExport.ToSarif(results));
                return sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                    .Select(r => r.GetProperty("partialFingerprints").GetProperty(AuditExport.FingerprintKey).GetString()!).ToList();
            }
            var first = Fingerprints(Results());
            var moved = Results();
            moved[2].Line = 9;
            Assert.Equal(first, Fingerprints(Results()));
            Assert.Equal(first, Fingerprints(moved));
            Assert.Equal(first.Count, first.Distinct().Count());
        }

        [Fact]
        public void JsonNamesEnumValuesAndCarriesNoSecret()
        {
            var text = AuditExport.ToJson(Results());
            using var json = JsonDocument.Parse(text);
            var first = json.RootElement[0];
            Assert.Equal("SecretSet", first.GetProperty("Kind").GetString());
            Assert.Equal("Failed", first.GetProperty("Status").GetString());
            Assert.Equal(JsonValueKind.Null, first.GetProperty("Line").ValueKind);
            Assert.Equal("Undetermined", json.RootElement[3].GetProperty("Status").GetString());
            Assert.Equal(new[] { "Subject", "Kind", "Status", "Rule", "Id", "Message", "Fix", "Repository", "File", "Line", "Column", "Configuration", "SettingsUrl" },
                first.EnumerateObject().Select(p => p.Name));
        }

        [Fact]
        public void ASetsPasswordReachesNeitherResultNorExport()
        {
            const string canary = "Canary-audit-export-3c9e ";
            var sets = CodespaceRegistry.Secrets.SecretSetReader.FromEnvironment(new Dictionary<string, string?>
            {
                ["ACME_CONTAINER_REGISTRY_SERVER"] = "ghcr.io",
                ["ACME_CONTAINER_REGISTRY_USER"] = "octocat",
                ["ACME_CONTAINER_REGISTRY_PASSWORD"] = canary,
            }, DateTimeOffset.UtcNow);
            var results = sets.Select(RegistryAuditor.AuditSecretSet).ToList();
            Assert.Equal(AuditStatus.Failed, results[0].Status); // the trailing space
            var all = AuditExport.ToJson(results) + AuditExport.ToSarif(results) + string.Join("", results.Select(r => r.ToString() + r.Message + r.Fix));
            Assert.DoesNotContain("Canary", all);
            Assert.DoesNotMatch(@"(?<!\w)" + canary.Length + @"(?!\w)", all); // nor its length
        }

        [Theory]
        [InlineData("[remote \"origin\"]\n\turl = https://github.com/octo-org/app.git\n", "octo-org/app")]
        [InlineData("[remote \"origin\"]\n\turl = git@github.com:octo-org/app.git\n", "octo-org/app")]
        [InlineData("[remote \"origin\"]\n\turl = ssh://git@github.example.com/octo-org/app\n", "octo-org/app")]
        [InlineData("[remote \"upstream\"]\n\turl = https://github.com/a/b\n[remote \"origin\"]\n\turl = https://github.com/c/d.js.git\n", "c/d.js")]
        [InlineData("[remote \"upstream\"]\n\turl = https://github.com/a/b\n", "a/b")]
        [InlineData("[core]\n\turl = https://github.com/a/b\n", null)]
        [InlineData("", null)]
        public void TheRepositoryComesFromTheRemoteOrigin(string config, string? expected) =>
            Assert.Equal(expected, GitRepositoryFolder.RepositoryFromConfig(config));

        private static readonly Lazy<JsonSchema> Sarif210 = new(() => JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Audit", "sarif-2.1.0.json")));

        /// <summary>Every error the official schema finds, with where; empty when the log is valid. Formats (uri, uri-reference) are checked too.</summary>
        private static List<string> SchemaErrors(JsonNode log)
        {
            var evaluation = Sarif210.Value.Evaluate(log, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            return evaluation.IsValid ? new List<string>()
                : (evaluation.Details ?? new List<EvaluationResults>()).Where(d => d.Errors is { Count: > 0 })
                    .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}")).DefaultIfEmpty("invalid").ToList();
        }
    }
}
