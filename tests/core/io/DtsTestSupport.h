// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the devicetree suites share: files served from memory (ImportOptions::readFile) and a board file
// that has a bit of everything.

#include "io/Format.h"
#include "io/dts/DtsImporter.h"

#include <QtTest>

#include <filesystem>
#include <map>
#include <string>

namespace dtstest {

/// Files kept in memory, by normalised path; every other path is missing.
class VirtualFiles {
public:
    void add(const std::string& path, std::string text) {
        files_[std::filesystem::path(path).lexically_normal().string()] = std::move(text);
    }
    flashplan::ImportOptions options(std::vector<std::filesystem::path> includeDirs = {}) const {
        flashplan::ImportOptions o;
        o.includeDirs = std::move(includeDirs);
        o.readFile = [this](const std::filesystem::path& p) -> flashplan::Result<std::string> {
            const auto it = files_.find(p.lexically_normal().string());
            if (it == files_.end()) {
                flashplan::Error e = flashplan::makeError(flashplan::Errc::NotFound, "no such file");
                e.where.file = p.string();
                return e;
            }
            return it->second;
        };
        return o;
    }

private:
    std::map<std::string, std::string> files_;
};

inline flashplan::Result<flashplan::ImportResult> importDts(const std::string& text,
                                                            const std::string& fileName = "board.dts",
                                                            const flashplan::ImportOptions& options = {}) {
    return flashplan::DtsImporter().read(text, fileName, options);
}

/// A board in the shape of Zephyr's: SoC flash behind a flash controller, a SPI NOR on a SPI bus, macros,
/// a partition table on each, chosen entries.
inline const char* const kBoard = R"(/dts-v1/;
#include <mem.h>
#define STORAGE_SIZE DT_SIZE_K(32)

/ {
	model = "Acme test board";
	compatible = "acme,test-board";
	#address-cells = <1>;
	#size-cells = <1>;

	chosen {
		zephyr,flash = &flash0;
		zephyr,code-partition = &slot0_partition;
	};

	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;

		flash_controller: flash-controller@40022000 {
			compatible = "st,stm32-flash-controller";
			reg = <0x40022000 0x400>;
			#address-cells = <1>;
			#size-cells = <1>;
			ranges;

			flash0: flash@8000000 {
				compatible = "st,stm32-nv-flash", "soc-nv-flash";
				reg = <0x08000000 DT_SIZE_K(512)>;
				erase-block-size = <2048>;
				write-block-size = <8>;
			};
		};

		spi1: spi@40013000 {
			reg = <0x40013000 0x400>;
			#address-cells = <1>;
			#size-cells = <0>;

			mx25r64: mx25r6435f@0 {
				compatible = "jedec,spi-nor";
				reg = <0>;
				size = <DT_SIZE_M(64)>; /* 64 Mbit */
			};
		};
	};
};

&flash0 {
	partitions {
		compatible = "fixed-partitions";
		#address-cells = <1>;
		#size-cells = <1>;

		boot_partition: partition@0 {
			label = "mcuboot";
			reg = <0x00000000 DT_SIZE_K(64)>;
			read-only;
		};
		slot0_partition: partition@10000 {
			label = "image-0";
			reg = <0x00010000 (0x1000 * 96)>;
		};
		slot1_partition: partition@70000 {
			label = "image-1";
			reg = <0x00070000 0x60000>;
		};
		storage_partition: partition@d0000 {
			label = "storage";
			reg = <0x000d0000 STORAGE_SIZE>;
		};
	};
};

&mx25r64 {
	partitions {
		compatible = "fixed-partitions";
		#address-cells = <1>;
		#size-cells = <1>;

		lfs_partition: partition@0 {
			reg = <0x0 0x800000>;
		};
	};
};
)";

/// Nested partitions of both kinds, several labels, no label, a node name of its own, a unit address
/// that is not reg's, other properties.
inline const char* const kNested = R"(/dts-v1/;
/ {
	model = "nested";
	#address-cells = <1>;
	#size-cells = <1>;
	chosen { zephyr,code-partition = &slot0_ns_partition; };
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		flash0: flash@0 {
			compatible = "soc-nv-flash";
			reg = <0x0 0x100000>;
			erase-block-size = <4096>;
			write-block-size = <4>;
			partitions {
				compatible = "fixed-partitions";
				#address-cells = <1>;
				#size-cells = <1>;
				boot_partition: partition@0 { label = "mcuboot"; reg = <0x0 0x10000>; read-only; };
				slot0_partition: partition@10000 {
					compatible = "fixed-subpartitions";
					label = "image-0";
					reg = <0x10000 0x70000>;
					ranges = <0x0 0x10000 0x70000>;
					#address-cells = <1>;
					#size-cells = <1>;
					slot0_s_partition: partition@0 { label = "image-0-secure"; reg = <0x0 0x40000>; };
					slot0_ns_partition: partition@40000 { reg = <0x40000 0x30000>; };
				};
				ri5cy_code: code: partition@80000 { reg = <0x80000 0x1000>; };
				partition@81000 { label = "scratch2"; reg = <0x81000 0x1000>; };
				typo: partition@820000 { reg = <0x82000 0x1000>; };
				partition@90000 { label = "spare"; reg = <0x91000 0x1000>; };
				ccfg: config@fff00 {
					compatible = "zephyr,memory-region";
					reg = <0xfff00 0x100>;
					zephyr,memory-region = "FLASH_CCFG";
					status = "okay";
				};
			};
		};
	};
};
)";

/// Zephyr 4.x: zephyr,mapped-partition in a partitions container and directly in the flash node, beside
/// an external NOR that keeps fixed-partitions.
inline const char* const kMapped = R"(/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		ranges;
		flash0: flash@8000000 {
			compatible = "soc-nv-flash";
			reg = <0x08000000 0x100000>;
			ranges = <0x0 0x08000000 0x100000>;
			erase-block-size = <8192>;
			#address-cells = <1>;
			#size-cells = <1>;
			partitions {
				ranges;
				#address-cells = <1>;
				#size-cells = <1>;
				boot_partition: partition@0 { compatible = "zephyr,mapped-partition"; reg = <0x0 0x10000>; };
				slot0_partition: partition@10000 {
					compatible = "zephyr,mapped-partition";
					reg = <0x10000 0x70000>;
					ranges = <0x0 0x10000 0x70000>;
					#address-cells = <1>;
					#size-cells = <1>;
					slot0_s_partition: partition@0 { compatible = "zephyr,mapped-partition"; reg = <0x0 0x40000>; };
				};
			};
			storage_partition: partition@f0000 { compatible = "zephyr,mapped-partition"; reg = <0xf0000 0x10000>; };
		};
		qspi {
			#address-cells = <1>;
			#size-cells = <0>;
			nor: nor@0 {
				compatible = "nordic,qspi-nor";
				reg = <0>;
				size = <0x4000000>;
				partitions {
					compatible = "fixed-partitions";
					#address-cells = <1>;
					#size-cells = <1>;
					ext_partition: partition@0 { reg = <0x0 0x100000>; };
				};
			};
		};
	};
};
)";

/// A flash beyond 4 GiB.
inline const char* const kTwoCells = R"(/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	big: flash@0 {
		compatible = "soc-nv-flash";
		reg = <0x0 0x0 0x2 0x0>;
		erase-block-size = <0x10000>;
		partitions {
			compatible = "fixed-partitions";
			#address-cells = <1>;
			#size-cells = <1>;
			low: partition@0 { reg = <0x0 0x10000000>; };
			high: partition@10000000 { reg = <0x10000000 0x10000000>; };
		};
	};
};
)";

} // namespace dtstest
