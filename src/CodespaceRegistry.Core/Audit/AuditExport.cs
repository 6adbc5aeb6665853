using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodespaceRegistry.Audit
{
    public enum AuditExportFormat
    {
        /// <summary>SARIF 2.1.0, as GitHub code scanning accepts it (github/codeql-action/upload-sarif).</summary>
        Sarif = 0,

        /// <summary>A JSON array of the results, enum values as their names.</summary>
        Json,
    }

    /// <summary>
    /// Writes audit results as SARIF 2.1.0 or JSON. Each property written is named here, so nothing else of a result
    /// (its decision, its report) reaches the file: no secret, no password, no password length.
    /// </summary>
    public static class AuditExport
    {
        public const string SarifSchema = "https://json.schemastore.org/sarif-2.1.0.json";
        public const string ToolName = "CodespaceRegistry";
        public const string InformationUri = "https://github.com/codespaceregistry/CodespaceRegistry";

        /// <summary>The key of each result's partialFingerprints: rule, subject and file, so that moving a line keeps it.</summary>
        public const string FingerprintKey = "codespaceRegistrySubject/v1";

        /// <summary>Where a secret set's result is shown: the dev container configuration, when the audit found one.</summary>
        private const string DefaultConfiguration = ".devcontainer/devcontainer.json";

        public static string Write(IReadOnlyList<RegistryAuditResult> results, AuditExportFormat format) =>
            format == AuditExportFormat.Sarif ? ToSarif(results) : ToJson(results);

        public static string ToJson(IReadOnlyList<RegistryAuditResult> results) => Write(w =>
        {
            w.WriteStartArray();
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("Subject", r.Subject);
                w.WriteString("Kind", r.Kind.ToString());
                w.WriteString("Status", r.Status.ToString());
                w.WriteString("Rule", r.Rule);
                w.WriteString("Id", r.Id);
                w.WriteString("Message", r.Message);
                w.WriteString("Fix", r.Fix);
                WriteStringOrNull(w, "Repository", r.Repository);
                WriteStringOrNull(w, "File", r.File);
                WriteNumberOrNull(w, "Line", r.Line);
                WriteNumberOrNull(w, "Column", r.Column);
                WriteStringOrNull(w, "Configuration", r.Configuration);
                WriteStringOrNull(w, "SettingsUrl", r.SettingsUrl);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

        /// <summary>
        /// SARIF 2.1.0: one run, the tool's rules with help, and a result for each subject that did not pass (code
        /// scanning closes an alert that a later upload no longer has). Locations are relative to the repository root
        /// (<c>%SRCROOT%</c>); a secret set's is the dev container configuration, line 1.
        /// </summary>
        public static string ToSarif(IReadOnlyList<RegistryAuditResult> results) => Write(w =>
        {
            var rules = AuditRules.All;
            var fallback = results.Select(r => r.Configuration).FirstOrDefault(c => c != null) ?? DefaultConfiguration;
            w.WriteStartObject();
            w.WriteString("$schema", SarifSchema);
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();

            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", ToolName);
            w.WriteString("semanticVersion", ToolVersion());
            w.WriteString("informationUri", InformationUri);
            w.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", rule.Id);
                w.WriteString("name", rule.Name);
                WriteText(w, "shortDescription", rule.ShortDescription);
                WriteText(w, "fullDescription", rule.Help);
                w.WriteStartObject("help");
                w.WriteString("text", rule.Help);
                w.WriteString("markdown", rule.Help + $"\n\nSee [{rule.HelpUri}]({rule.HelpUri}).");
                w.WriteEndObject();
                w.WriteString("helpUri", rule.HelpUri);
                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", "error");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartObject("originalUriBaseIds");
            w.WriteStartObject("%SRCROOT%");
            WriteText(w, "description", "The repository root.");
            w.WriteEndObject();
            w.WriteEndObject();

            w.WriteStartArray("results");
            foreach (var r in results.Where(r => r.Status != AuditStatus.Passed))
            {
                var file = r.File ?? fallback;
                w.WriteStartObject();
                w.WriteString("ruleId", r.Rule);
                w.WriteNumber("ruleIndex", IndexOf(rules, r.Rule));
                w.WriteString("level", LevelOf(r.Status));
                WriteText(w, "message", $"{r.Kind} {r.Subject}: {r.Message}" + (r.Fix.Length > 0 ? " Fix: " + r.Fix : ""));
                w.WriteStartArray("locations");
                w.WriteStartObject();
                w.WriteStartObject("physicalLocation");
                w.WriteStartObject("artifactLocation");
                w.WriteString("uri", UriReference(file));
                w.WriteString("uriBaseId", "%SRCROOT%");
                w.WriteEndObject();
                w.WriteStartObject("region");
                w.WriteNumber("startLine", r.Line ?? 1);
                w.WriteNumber("startColumn", r.Column ?? 1);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteStartObject("partialFingerprints");
                w.WriteString(FingerprintKey, Fingerprint(r.Rule, r.Subject, r.Repository, file));
                w.WriteEndObject();
                w.WriteStartObject("properties");
                w.WriteString("status", r.Status.ToString());
                w.WriteString("id", r.Id);
                w.WriteString("kind", r.Kind.ToString());
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });

        /// <summary>error for Failed, warning for Warning, note for Undetermined (a manual check).</summary>
        public static string LevelOf(AuditStatus status) => status switch
        {
            AuditStatus.Failed => "error",
            AuditStatus.Warning => "warning",
            AuditStatus.Undetermined => "note",
            _ => "none",
        };

        /// <summary>A relative path as a URI reference: segments percent-encoded, slashes kept.</summary>
        public static string UriReference(string relativePath) =>
            string.Join("/", relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

        private static string Fingerprint(string rule, string subject, string? repository, string file)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\n", rule, subject, repository ?? "", file)));
            return string.Concat(hash.Take(16).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        private static int IndexOf(IReadOnlyList<AuditRule> rules, string id)
        {
            for (var i = 0; i < rules.Count; i++) if (rules[i].Id == id) return i;
            return -1;
        }

        private static string ToolVersion()
        {
            var version = typeof(AuditExport).Assembly.GetName().Version ?? new Version(0, 0, 0);
            return $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}";
        }

        private static void WriteText(Utf8JsonWriter w, string name, string text)
        {
            w.WriteStartObject(name);
            w.WriteString("text", text);
            w.WriteEndObject();
        }

        private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
        {
            if (value == null) w.WriteNull(name);
            else w.WriteString(name, value);
        }

        private static void WriteNumberOrNull(Utf8JsonWriter w, string name, int? value)
        {
            if (value == null) w.WriteNull(name);
            else w.WriteNumber(name, value.Value);
        }

        private static string Write(Action<Utf8JsonWriter> write)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(writer);
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }
    }
}
