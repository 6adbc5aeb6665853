using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Secrets
{
    /// <summary>How an ECR set authenticates, by the two modes the Codespaces docs give.</summary>
    public enum EcrMode
    {
        /// <summary>Not an ECR set.</summary>
        None = 0,

        /// <summary>USER is an AWS access key id and PASSWORD its secret key: the tool swaps them for an ECR token.</summary>
        AccessKey,

        /// <summary>USER is <c>AWS</c> and PASSWORD an ECR authorization token (12 hours).</summary>
        Token,
    }

    /// <summary>Where a set's secrets were found.</summary>
    public enum SecretLevel
    {
        /// <summary>Environment variables of a running codespace (or this shell).</summary>
        Environment = 0,
        User,
        Repository,
        Organization,
    }

    /// <summary>Which repositories an organization or user secret reaches (its access policy).</summary>
    public enum SecretVisibility
    {
        /// <summary>Every repository of the organization.</summary>
        All = 0,

        /// <summary>Private and internal repositories only.</summary>
        Private,

        /// <summary>The repositories selected for the secret.</summary>
        Selected,
    }

    /// <summary>
    /// The three secrets <c>&lt;ID&gt;_CONTAINER_REGISTRY_{SERVER,USER,PASSWORD}</c> that let a codespace reach a
    /// private registry. The password is held as a <see cref="SecureString"/> and never printed.
    /// </summary>
    public sealed class RegistrySecretSet
    {
        public const string ServerSuffix = "_CONTAINER_REGISTRY_SERVER";
        public const string UserSuffix = "_CONTAINER_REGISTRY_USER";
        public const string PasswordSuffix = "_CONTAINER_REGISTRY_PASSWORD";

        internal RegistrySecretSet(string name, SecretLevel level)
        {
            Name = name;
            Level = level;
        }

        /// <summary>The set's identifier, the <c>&lt;ID&gt;</c> of its secret names.</summary>
        public string Name { get; }

        public SecretLevel Level { get; internal set; }

        /// <summary>The parsed server, or null when SERVER is missing or not a server.</summary>
        public RegistryServer? Server { get; internal set; }

        /// <summary>The SERVER value as written (trimmed), or null when it is not readable or missing.</summary>
        public string? ServerValue { get; internal set; }

        /// <summary>The USER value, trimmed. Shown: it is an identity, not a secret.</summary>
        public string? User { get; internal set; }

        /// <summary>The password; null when the set has none or its value is not readable (API sets).</summary>
        internal SecureString? Password { get; set; }

        /// <summary>
        /// The password; null when the set has none or its value is not readable (API sets). A method, not a property,
        /// so that serialisers (ConvertTo-Json, Export-Clixml) do not write even its length; PowerShell shows it as
        /// the hidden property <c>Password</c> (CodespaceRegistry.types.ps1xml).
        /// </summary>
        public SecureString? GetPassword() => Password;

        /// <summary>The secret names found for this set (values excluded).</summary>
        public IReadOnlyList<string> SecretNames { get; internal set; } = Array.Empty<string>();

        public bool HasServer { get; internal set; }

        public bool HasUser { get; internal set; }

        public bool HasPassword { get; internal set; }

        /// <summary>All three secrets are present.</summary>
        public bool IsComplete => HasServer && HasUser && HasPassword;

        public EcrMode EcrMode { get; internal set; }

        /// <summary>When the ECR token in PASSWORD expires (mode 2), read from the token without a network call.</summary>
        public DateTimeOffset? TokenExpiresAt { get; internal set; }

        /// <summary>
        /// Who an organization or user set reaches; null for repository and environment sets, and when the three
        /// secrets' policies differ (see the SetPoliciesDiffer finding).
        /// </summary>
        public SecretVisibility? Visibility { get; internal set; }

        /// <summary>The repositories (owner/name) every secret of the set is selected for, when Visibility is Selected.</summary>
        public IReadOnlyList<string> SelectedRepositories { get; internal set; } = Array.Empty<string>();

        /// <summary>Whether all the set's secrets reach the repository asked about; null when none was asked about.</summary>
        public bool? AppliesToRepository { get; internal set; }

        /// <summary>
        /// Whether a codespace of the repository asked about sees this set's values: false when it does not apply or a
        /// more specific level overrides it; null when no repository was asked about, or when a user set and a
        /// repository or organization set share the name (GitHub documents no order between them).
        /// </summary>
        public bool? IsEffective { get; internal set; }

        public IReadOnlyList<SecretSetFinding> Findings { get; internal set; } = Array.Empty<SecretSetFinding>();

        /// <summary>The worst finding's severity, or null when there is none.</summary>
        public FindingSeverity? WorstSeverity => Findings.Count == 0 ? (FindingSeverity?)null : Findings.Max(f => f.Severity);

        /// <summary>No finding of severity Error.</summary>
        public bool IsValid => Findings.All(f => f.Severity != FindingSeverity.Error);

        public override string ToString() => Server != null ? $"{Name} ({Server.Host})" : Name;
    }
}
