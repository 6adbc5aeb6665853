using System;
using System.Collections.Generic;
using System.Linq;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>The question Resolve-PackageAccess answers, with what the API cannot tell supplied by the user.</summary>
    public sealed class PackageAccessRequest
    {
        /// <exception cref="RegistryException">ErrorId <c>GitHubInvalidRepositoryName</c> when <paramref name="repository"/> is not owner/name.</exception>
        public PackageAccessRequest(PackageReference package, string repository, PackageOperation operation = PackageOperation.Pull)
        {
            Package = package ?? throw new ArgumentNullException(nameof(package));
            var (owner, name) = GitHubRepository.SplitFullName(repository);
            Repository = owner + "/" + name;
            Operation = operation;
        }

        public PackageReference Package { get; }

        /// <summary>The codespace's repository, <c>owner/name</c>.</summary>
        public string Repository { get; }

        public string RepositoryOwner => Repository.Substring(0, Repository.IndexOf('/'));

        public PackageOperation Operation { get; }

        /// <summary>Whether the package inherits access from its repository; null when unknown (the API does not show it).</summary>
        public bool? InheritAccess { get; set; }

        /// <summary>The repositories the package's settings grant access; null when unknown (the API does not show them).</summary>
        public IReadOnlyCollection<string>? GrantedRepositories { get; set; }

        /// <summary>The registry secret sets the codespace would see: from the environment or piped in (readable), or listed through the API (not).</summary>
        public IReadOnlyList<RegistrySecretSet> SecretSets { get; set; } = Array.Empty<RegistrySecretSet>();

        /// <summary>True or false when the granted repositories are known; null otherwise.</summary>
        public bool? IsGranted => GrantedRepositories?.Any(r => string.Equals(r.Trim(), Repository, StringComparison.OrdinalIgnoreCase));
    }
}
