using System.Collections.Generic;

namespace CodespaceRegistry.Audit
{
    /// <summary>One audit rule: what a codespace needs of a kind of subject (SARIF's reportingDescriptor).</summary>
    public sealed class AuditRule
    {
        internal AuditRule(string id, string name, string shortDescription, string help, string helpUri)
        {
            Id = id;
            Name = name;
            ShortDescription = shortDescription;
            Help = help;
            HelpUri = helpUri;
        }

        public string Id { get; }

        public string Name { get; }

        public string ShortDescription { get; }

        public string Help { get; }

        public string HelpUri { get; }
    }

    /// <summary>The audit's rules, one per subject kind: the one place their ids and help live.</summary>
    public static class AuditRules
    {
        public const string RegistryDocs = "https://docs.github.com/en/codespaces/reference/allowing-your-codespace-to-access-a-private-registry";
        public const string PackagesDocs = "https://docs.github.com/en/packages/learn-github-packages/configuring-a-packages-access-control-and-visibility";

        public static readonly AuditRule SecretSetValid = new AuditRule("SecretSetValid", "RegistrySecretSetValid",
            "A registry secret set a codespace sees is complete and valid.",
            "A codespace logs in to a private registry with a registry secret set: <ID>_CONTAINER_REGISTRY_SERVER, _USER and _PASSWORD. " +
            "All three must be present, SERVER must name a registry, and the values must be usable as written (no stray whitespace, an ECR token that has not expired). " +
            "Fix the secrets named in the message at the level where they are stored (user, repository or organization), then stop and start the codespace.",
            RegistryDocs);

        public static readonly AuditRule ImagePullable = new AuditRule("ImagePullable", "DevcontainerImagePullable",
            "An image the dev container pulls can be pulled by a codespace of the repository.",
            "A codespace pulls the images its dev container names (devcontainer.json's image, Dockerfile FROM lines, Compose services) with the registry secret set whose SERVER names the image's registry, " +
            "or, for GitHub Packages, with its own token when the package grants the repository access. The message says which check failed; the fix names the secret set to add or correct, or the package setting to change.",
            RegistryDocs);

        public static readonly AuditRule FeaturePullable = new AuditRule("FeaturePullable", "DevcontainerFeaturePullable",
            "A dev container Feature can be pulled by a codespace of the repository.",
            "Dev container Features are OCI artifacts, pulled like images: with the registry secret set for the Feature's registry, or seamlessly from GitHub Packages when the package grants the repository access. " +
            "The message says which check failed; the fix names the secret set or the package setting to change.",
            PackagesDocs);

        public static IReadOnlyList<AuditRule> All { get; } = new[] { SecretSetValid, ImagePullable, FeaturePullable };

        public static AuditRule For(AuditSubjectKind kind) => kind switch
        {
            AuditSubjectKind.SecretSet => SecretSetValid,
            AuditSubjectKind.Feature => FeaturePullable,
            _ => ImagePullable,
        };
    }
}
