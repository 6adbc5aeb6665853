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
            SecretSetName = target.SecretSet?.Name;
            Server = target.Server;
            Image = target.Image;
            User = target.UserName;
            Checks = checks;
        }

        /// <summary>What was checked, as the user named it: the set's identifier, the server or the image.</summary>
        public string Target { get; }

        public string? SecretSetName { get; }

        public RegistryServer? Server { get; }

        public ImageReference? Image { get; }

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

        public override string ToString() => $"{Target}: {(Passed ? "passed" : "failed at " + FirstFailure!.Name)}";
    }
}
