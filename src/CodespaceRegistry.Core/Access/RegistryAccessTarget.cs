using System;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>One input of the diagnosis: a secret set, or a server (or image) with an optional credential.</summary>
    public sealed class RegistryAccessTarget
    {
        private RegistryAccessTarget(string name, RegistrySecretSet? set, RegistryServer? server, RegistryCredential? credential, ImageReference? image)
        {
            Name = name;
            SecretSet = set;
            Server = server;
            Credential = credential;
            Image = image;
        }

        public string Name { get; }

        public RegistrySecretSet? SecretSet { get; }

        /// <summary>The server; null when a set's SERVER is missing or invalid.</summary>
        public RegistryServer? Server { get; }

        /// <summary>The credential given with a server or image (a set's is resolved during the checks).</summary>
        public RegistryCredential? Credential { get; }

        /// <summary>The image whose pull (and push) permission is checked, when one is named.</summary>
        public ImageReference? Image { get; }

        public string? UserName => SecretSet?.User ?? Credential?.UserName;

        /// <summary>A set, optionally with an image on its server (an image on another server is an argument error).</summary>
        public static RegistryAccessTarget ForSecretSet(RegistrySecretSet set, ImageReference? image = null)
        {
            if (set == null) throw new ArgumentNullException(nameof(set));
            if (image != null && set.Server != null && !image.Registry.Equals(set.Server))
            {
                throw new RegistryException("ImageNotOnSetServer", ErrorKind.InvalidArgument,
                    $"The image {image.FullName} is not on {set.Server.Host}, the server of the secret set '{set.Name}'. Name an image on that registry.");
            }
            return new RegistryAccessTarget(set.Name, set, set.Server, null, image);
        }

        public static RegistryAccessTarget ForServer(RegistryServer server, RegistryCredential? credential) =>
            new RegistryAccessTarget(server.Host, null, server ?? throw new ArgumentNullException(nameof(server)), credential, null);

        public static RegistryAccessTarget ForImage(ImageReference image, RegistryCredential? credential) =>
            new RegistryAccessTarget(image.FullName, null, image.Registry, credential, image);

        public override string ToString() => Name;
    }
}
