using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Access
{
    /// <summary>The diagnosis of one secret set, server or image: every check with its status, detail and remediation.</summary>
    public sealed class RegistryAccessReport
    {
        internal RegistryAccessReport(RegistryAccessTarget target, IReadOnlyList<RegistryAccessCheck> checks)
        {
            Target = target.Name;
            SecretSet = target.SecretSet?.Name ?? "";
            CredentialSource = target.CredentialSource;
            Server = target.Server;
            Image = target.Image?.FullName ?? "";
            User = target.UserName;
            Checks = checks;
        }

        /// <summary>What was checked, as the user named it: the set's identifier, the server or the image.</summary>
        public string Target { get; }

        /// <summary>The image whose pull (and push) permission was checked; empty for a set or server alone.</summary>
        public string Image { get; }

        /// <summary>The secret set whose credentials were used; empty when none was.</summary>
        public string SecretSet { get; }

        /// <summary>How the credentials were chosen: a secret set, -Credential, or none (anonymous).</summary>
        public AccessCredentialSource CredentialSource { get; }

        public RegistryServer? Server { get; }

        public string? User { get; }

        /// <summary>When the ECR token a set logs in with expires (ECR sets in either mode).</summary>
        public System.DateTimeOffset? TokenExpiresAt { get; internal set; }

        /// <summary>Whose access key an ECR access-key set holds (account, principal ARN), from STS.</summary>
        public Ecr.AwsCallerIdentity? AwsIdentity { get; internal set; }

        /// <summary>No check failed (warnings and skipped checks allowed).</summary>
        public bool Passed => Checks.All(c => c.Status != CheckStatus.Failed);

        public IReadOnlyList<RegistryAccessCheck> Checks { get; }

        /// <summary>The first failed check, which is where to start.</summary>
        public RegistryAccessCheck? FirstFailure => Checks.FirstOrDefault(c => c.Status == CheckStatus.Failed);

        public RegistryAccessCheck? this[string name] => Checks.FirstOrDefault(c => c.Name == name);

        /// <summary>
        /// One line: what was checked, with which credentials, and the outcome; for a failure the failed check, its
        /// detail and its remediation (ready for Pester's -Because).
        /// </summary>
        public string Summary
        {
            get
            {
                var with = CredentialSource switch
                {
                    AccessCredentialSource.SecretSet => $" with secret set {SecretSet}",
                    AccessCredentialSource.Credential => $" as {User}",
                    _ => Server != null ? " anonymously" : "",
                };
                var failure = FirstFailure;
                var outcome = failure == null
                    ? "passed" + (Checks.Any(c => c.Status == CheckStatus.Warning) ? " with warnings (" + string.Join(", ", Checks.Where(c => c.Status == CheckStatus.Warning).Select(c => c.Name)) + ")" : "") + "."
                    : $"{failure.Name} failed: {failure.Detail}" + (failure.Remediation.Length > 0 ? " Fix: " + failure.Remediation : "");
                return OneLine($"{Target}{with}: {outcome}");
            }
        }

        private static string OneLine(string text) => string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries));

        public override string ToString() => Summary;
    }
}
