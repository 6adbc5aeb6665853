using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.Access
{
    /// <summary>What the GitHub packages API says about a package.</summary>
    public sealed class PackageFacts
    {
        public PackageFacts(string owner, bool ownerIsOrganization, Visibility visibility, string? repository)
        {
            Owner = owner;
            OwnerIsOrganization = ownerIsOrganization;
            Visibility = visibility;
            Repository = repository;
        }

        /// <summary>The user or organization that owns the package.</summary>
        public string Owner { get; }

        public bool OwnerIsOrganization { get; }

        public Visibility Visibility { get; }

        /// <summary>The repository (<c>owner/name</c>) the package is linked to, or null.</summary>
        public string? Repository { get; }
    }

    /// <summary>What the GitHub API says about the codespace's repository.</summary>
    public sealed class RepositoryFacts
    {
        public RepositoryFacts(string fullName, string owner, bool ownerIsOrganization, Visibility visibility)
        {
            FullName = fullName;
            Owner = owner;
            OwnerIsOrganization = ownerIsOrganization;
            Visibility = visibility;
        }

        public string FullName { get; }

        public string Owner { get; }

        public bool OwnerIsOrganization { get; }

        public Visibility Visibility { get; }
    }

    /// <summary>Where package and repository facts come from (the GitHub REST API; a fake in tests).</summary>
    public interface IPackageFactsSource
    {
        /// <summary>The package, or null when it does not exist or the token cannot see it.</summary>
        Task<PackageFacts?> GetPackageAsync(string owner, string packageType, string name, CancellationToken cancellationToken);

        /// <summary>The repository (<c>owner/name</c>), or null when it does not exist or the token cannot see it.</summary>
        Task<RepositoryFacts?> GetRepositoryAsync(string fullName, CancellationToken cancellationToken);
    }
}
