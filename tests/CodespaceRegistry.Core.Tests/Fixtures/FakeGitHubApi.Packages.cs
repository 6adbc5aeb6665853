using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// <c>GET /orgs/{org}/packages/{package_type}/{package_name}</c> and <c>GET /users/{username}/packages/...</c>:
    /// the package object of GitHub's description, <c>read:packages</c> required of classic tokens, a name with '/'
    /// found only when sent as <c>%2F</c>, and 404 for a package the owner's kind does not match.
    /// </summary>
    public sealed partial class FakeGitHubApi
    {
        private long _lastPackageId = 197;

        /// <summary>Packages by <c>owner/type/name</c> (case-insensitive).</summary>
        public ConcurrentDictionary<string, FakePackage> Packages { get; } = new ConcurrentDictionary<string, FakePackage>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Adds a package; <paramref name="repository"/> (owner/name) is the repository it is linked to.</summary>
        public FakePackage AddPackage(string owner, string type, string name, string visibility, string? repository = null, string ownerType = "Organization")
        {
            var package = new FakePackage(Interlocked.Increment(ref _lastPackageId), owner, type, name, visibility, repository == null ? null : Repositories.TryGetValue(repository, out var linked) ? linked : AddRepository(repository), ownerType);
            Packages[$"{owner}/{type}/{name}"] = package;
            return package;
        }

        private void MapPackages(IEndpointRouteBuilder api)
        {
            api.MapGet("/orgs/{owner}/packages/{type}/{name}", (RequestDelegate)(c => Package(c, "Organization")));
            api.MapGet("/users/{owner}/packages/{type}/{name}", (RequestDelegate)(c => Package(c, "User")));
        }

        private async Task Package(HttpContext c, string ownerType)
        {
            if (!await RequireScope(c, "read:packages")) return;
            var key = $"{Route(c, "owner")}/{Route(c, "type")}/{Uri.UnescapeDataString(Route(c, "name"))}";
            if (!Packages.TryGetValue(key, out var package) || package.OwnerType != ownerType)
            {
                await Error(c, 404, "Package not found.");
                return;
            }
            await Json(c, package.ToJson());
        }
    }

    /// <summary>A package of the fake.</summary>
    public sealed class FakePackage
    {
        public FakePackage(long id, string owner, string type, string name, string visibility, FakeRepository? repository, string ownerType)
        {
            Id = id;
            Owner = owner;
            Type = type;
            Name = name;
            Visibility = visibility;
            Repository = repository;
            OwnerType = ownerType;
        }

        public long Id { get; }
        public string Owner { get; }
        public string Type { get; }
        public string Name { get; }
        public string Visibility { get; set; }
        public FakeRepository? Repository { get; }
        public string OwnerType { get; }

        /// <summary>The package object of GitHub's description.</summary>
        public object ToJson()
        {
            var scope = OwnerType == "Organization" ? "orgs" : "users";
            return new
            {
                id = Id,
                name = Name,
                package_type = Type,
                owner = new { login = Owner, id = Math.Abs(Owner.GetHashCode()), type = OwnerType, site_admin = false },
                version_count = 1,
                visibility = Visibility,
                url = $"https://api.github.com/{scope}/{Owner}/packages/{Type}/{Uri.EscapeDataString(Name)}",
                created_at = "2024-04-10T20:33:24Z",
                updated_at = "2024-04-10T20:33:24Z",
                repository = Repository?.ToJson(),
                html_url = $"https://github.com/{scope}/{Owner}/packages/{Type}/package/{Uri.EscapeDataString(Name)}",
            };
        }
    }
}
