// SPDX-License-Identifier: Apache-2.0
#pragma once
// The names under which the devicetree importer keeps, in Partition::properties and Layout::properties,
// what the model has no field for, so that the exporter can write it back.

#include <string_view>

namespace flashplan::dts::key {

// Partition properties.
inline constexpr std::string_view kLabelProperty = "dts.label-property"; ///< label = "image-0";
inline constexpr std::string_view kMoreLabels = "dts.labels"; ///< DT labels after the first, blank-separated
inline constexpr std::string_view kUnlabeled = "dts.unlabeled"; ///< "true": no DT label; Partition::label
                                                                ///< was made from the node name
inline constexpr std::string_view kNodeName = "dts.node-name";  ///< the node name when not "partition"
inline constexpr std::string_view kUnitAddress =
    "dts.unit-address"; ///< the unit address as written, when it is not reg's (the exporter writes reg's)
inline constexpr std::string_view kUnderFlash =
    "dts.under-flash"; ///< the node name of a zephyr,mapped-partition that sat directly in its flash node (no
                       ///< partitions container); the exporter deletes it and writes the standard form
inline constexpr std::string_view kPropertyPrefix =
    "dts.prop."; ///< dts.prop.<name>: any other property, in devicetree source form (<0x1>, "x", ...)

// Layout properties.
inline constexpr std::string_view kFlashPrefix =
    "dts.flash."; ///< dts.flash.<device id>: how to refer to its node ("&label" or "&{/path}") when not
                  ///< "&<device id>"
inline constexpr std::string_view kChosenPrefix =
    "zephyr.chosen."; ///< zephyr.chosen.<name> = partition label

} // namespace flashplan::dts::key
