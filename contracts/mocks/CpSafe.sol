// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title CpSafe
 * @notice Test fixture for the analyst's counterparty facts: answers `getOwners()` and
 * `getThreshold()` as a Safe multisig does, and receives ETH. It executes nothing. Not for deployment.
 */
contract CpSafe {
    address[] private _owners;
    uint256 private immutable _threshold;

    /**
     * @param owners_ The owners `getOwners()` lists.
     * @param threshold_ The number of owners a transaction would need.
     */
    constructor(address[] memory owners_, uint256 threshold_) {
        _owners = owners_;
        _threshold = threshold_;
    }

    receive() external payable {}

    /// @notice The owners of the multisig.
    function getOwners() external view returns (address[] memory) {
        return _owners;
    }

    /// @notice How many owners must sign a transaction.
    function getThreshold() external view returns (uint256) {
        return _threshold;
    }
}
