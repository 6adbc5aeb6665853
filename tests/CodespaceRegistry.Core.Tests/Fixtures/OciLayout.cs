using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// Builds, by hand, the smallest OCI image layout skopeo can copy: one uncompressed tar layer, a config,
    /// a manifest, index.json and oci-layout.
    /// </summary>
    public static class OciLayout
    {
        public static void Write(string directory, string tag)
        {
            var blobs = Path.Combine(directory, "blobs", "sha256");
            Directory.CreateDirectory(blobs);

            var layer = new MemoryStream();
            using (var tar = new TarWriter(layer, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, "hello.txt")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes("hello from a codespace registry test\n")),
                    ModificationTime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
                };
                tar.WriteEntry(entry);
            }
            var layerDescriptor = Blob(blobs, layer.ToArray(), "application/vnd.oci.image.layer.v1.tar");

            var config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["architecture"] = "amd64",
                ["os"] = "linux",
                ["config"] = new Dictionary<string, object>(),
                ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = new[] { layerDescriptor["digest"] } },
            });
            var configDescriptor = Blob(blobs, config, "application/vnd.oci.image.config.v1+json");

            var manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = configDescriptor,
                ["layers"] = new[] { layerDescriptor },
            });
            var manifestDescriptor = Blob(blobs, manifest, "application/vnd.oci.image.manifest.v1+json");
            manifestDescriptor["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag };

            File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["schemaVersion"] = 2,
                ["manifests"] = new[] { manifestDescriptor },
            }));
            File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        }

        private static Dictionary<string, object> Blob(string blobs, byte[] content, string mediaType)
        {
            var hex = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
            File.WriteAllBytes(Path.Combine(blobs, hex), content);
            return new Dictionary<string, object> { ["mediaType"] = mediaType, ["digest"] = "sha256:" + hex, ["size"] = content.Length };
        }
    }
}
